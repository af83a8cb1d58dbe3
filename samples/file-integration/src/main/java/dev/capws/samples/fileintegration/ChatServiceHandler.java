package dev.capws.samples.fileintegration;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.springframework.stereotype.Component;

import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.On;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.chatservice.ChatService_;
import cds.gen.chatservice.MessageContext;
import cds.gen.chatservice.SendSystemMessageContext;
import cds.gen.chatservice.SystemMessage;
import cds.gen.chatservice.SystemMessageContext;

/** The tutorial's chat-service.js in Java: the operations WebSocket clients call. */
@Component
@ServiceName(ChatService_.CDS_NAME)
public class ChatServiceHandler implements EventHandler {

  /** A client sends {"event":"message","data":{"text":"hi"}} and gets {"event":"message","data":"Message received: hi"}. */
  @On(event = MessageContext.CDS_NAME)
  public void message(MessageContext context) {
    context.setResult("Message received: " + context.getText());
  }

  /** Pushes a systemMessage to every connected client, then answers the caller. */
  @On(event = SendSystemMessageContext.CDS_NAME)
  public void sendSystemMessage(SendSystemMessageContext context) {
    SystemMessage message = SystemMessage.create();
    message.setType("system");
    message.setLevel("info");
    message.setText(context.getText());
    message.setTimestamp(Instant.now().truncatedTo(ChronoUnit.MILLIS));

    SystemMessageContext event = SystemMessageContext.create();
    event.setData(message);
    context.getService().emit(event);
    context.setResult("System message sent");
  }
}
