package dev.capws.samples.fileintegration;

import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.Before;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.chatservice.ChatService_;
import cds.gen.chatservice.MessageContext;

import dev.capws.websocket.api.WebSockets;

/**
 * Test-only: the server closes the caller's connection when its message asks for it, as a restarting proxy or a
 * lost network would, while the application keeps running (and keeps its recovery history).
 */
@ServiceName(ChatService_.CDS_NAME)
public class DropOnRequest implements EventHandler {

  static final String DROP = "drop my connection";

  @Before(event = MessageContext.CDS_NAME)
  public void dropIfAsked(MessageContext context) {
    if (DROP.equals(context.getText())) {
      WebSockets.current().ifPresent(connection -> connection.disconnect(1012, "Dropped by the test"));
    }
  }
}
