package dev.capws.websocket.it;

import org.springframework.stereotype.Component;

import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.On;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.absoluteservice.AbsoluteService_;
import cds.gen.absoluteservice.SayHelloContext;

@Component
@ServiceName(AbsoluteService_.CDS_NAME)
public class AbsoluteServiceHandler implements EventHandler {

  @On(event = SayHelloContext.CDS_NAME)
  public void sayHello(SayHelloContext context) {
    context.setResult("Hello, " + context.getText());
  }
}
