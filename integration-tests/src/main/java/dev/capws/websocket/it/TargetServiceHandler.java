package dev.capws.websocket.it;

import org.springframework.stereotype.Component;

import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.On;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.targetservice.EchoHiddenContext;
import cds.gen.targetservice.TargetService_;
import cds.gen.targetservice.WsContextContext;

@Component
@ServiceName(TargetService_.CDS_NAME)
public class TargetServiceHandler implements EventHandler {

  @On(event = WsContextContext.CDS_NAME)
  public void wsContext(WsContextContext context) {
    context.setResult("contexts " + context.getContext() + " " + context.getContexts() + " exit " + context.getExit()
        + " reset " + context.getReset());
  }

  @On(event = EchoHiddenContext.CDS_NAME)
  public void echoHidden(EchoHiddenContext context) {
    context.setResult(context.getText() + "/" + context.getHidden());
  }
}
