package dev.capws.websocket.it;

import org.springframework.stereotype.Component;

import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.On;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.adminsocketservice.AdminSocketService_;
import cds.gen.adminsocketservice.HelloContext;

@Component
@ServiceName(AdminSocketService_.CDS_NAME)
public class AdminSocketHandler implements EventHandler {

  @On(event = HelloContext.CDS_NAME)
  public void hello(HelloContext context) {
    context.setResult("hello admin " + context.getUserInfo().getName());
  }
}
