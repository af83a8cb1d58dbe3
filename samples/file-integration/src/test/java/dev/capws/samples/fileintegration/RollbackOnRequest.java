package dev.capws.samples.fileintegration;

import java.util.List;

import com.sap.cds.services.ErrorStatuses;
import com.sap.cds.services.ServiceException;
import com.sap.cds.services.cds.CqnService;
import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.After;
import com.sap.cds.services.handler.annotations.HandlerOrder;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.testservice.Data;
import cds.gen.testservice.Data_;
import cds.gen.testservice.TestService_;

/**
 * Test-only: fails a CREATE after the notification was emitted, when the value asks for it, so the transaction rolls
 * back with an event already emitted inside it.
 */
@ServiceName(TestService_.CDS_NAME)
public class RollbackOnRequest implements EventHandler {

  static final String ROLL_BACK = "roll me back";

  @After(event = CqnService.EVENT_CREATE, entity = Data_.CDS_NAME)
  @HandlerOrder(HandlerOrder.LATE)
  public void failIfAsked(List<Data> rows) {
    if (rows.stream().anyMatch(row -> ROLL_BACK.equals(row.getValue()))) {
      throw new ServiceException(ErrorStatuses.CONFLICT, "Rolled back on purpose, after the notification was emitted");
    }
  }
}
