package dev.capws.websocket.it;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.sap.cds.services.runtime.CdsRuntime;

/** E4-E7 on one instance: the rules of {@link TargetingRules}, emitted where the clients are. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TargetingTest extends TargetingRules {

  @LocalServerPort
  int port;

  @Autowired
  CdsRuntime runtime;

  @Override
  protected CdsRuntime emitter() {
    return runtime;
  }

  @Override
  protected int clientPort() {
    return port;
  }

  @Override
  protected int odataPort() {
    return port;
  }
}
