package dev.capws.websocket.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.reflect.CdsModel;
import com.sap.cds.reflect.CdsOperation;
import com.sap.cds.reflect.CdsService;

import dev.capws.websocket.spi.ClientFrame;

class PcpFormatTest {

  @Test
  @DisplayName("F2 Bad input: a 1 MiB PCP field line is read in one pass (no stack overflow, no backtracking)")
  void longLines() throws IOException {
    CdsService service;
    try (InputStream csn = PcpFormatTest.class.getResourceAsStream("/model/types.csn.json")) {
      service = CdsModel.read(csn).getService("Types");
    }
    Map<String, CdsOperation> operations = service.actions()
        .collect(Collectors.toMap(CdsOperation::getName, a -> (CdsOperation) a));
    String value = "x\\:".repeat(350_000);
    ClientFrame frame = new PcpFormat().parse(service, operations, "pcp-action:everything\ns:" + value + "\n\n");
    assertThat(frame.data().get("s").asText()).hasSize(700_000).startsWith("x:x:");
    // a 1 MB line without a colon is no field: it is skipped, and the action is still called
    ClientFrame noFields = new PcpFormat().parse(service, operations,
        "pcp-action:everything\n" + "y".repeat(1_000_000) + "\n\n");
    assertThat(noFields.event()).isEqualTo("everything");
    assertThat(noFields.data().isEmpty()).isTrue();
    ClientFrame skipped = new PcpFormat().parse(service, operations,
        "pcp-action:everything\n" + "y".repeat(1_000_000) + "\ns:after\n\n");
    assertThat(skipped.event()).isEqualTo("everything");
    assertThat(skipped.data().toString()).isEqualTo("{\"s\":\"after\"}");
  }
}
