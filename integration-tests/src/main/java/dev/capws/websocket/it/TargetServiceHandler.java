package dev.capws.websocket.it;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.sap.cds.services.ErrorStatuses;
import com.sap.cds.services.ServiceException;
import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.On;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.targetservice.EchoHiddenContext;
import cds.gen.targetservice.JoinContext;
import cds.gen.targetservice.KickContext;
import cds.gen.targetservice.ShoutContext;
import cds.gen.targetservice.TargetService_;
import cds.gen.targetservice.WhisperContext;
import cds.gen.targetservice.WsContextContext;

import dev.capws.websocket.api.WebSocketConnection;
import dev.capws.websocket.api.WebSockets;

@Component
@ServiceName(TargetService_.CDS_NAME)
public class TargetServiceHandler implements EventHandler {

  private final HookLog log;

  TargetServiceHandler(HookLog log) {
    this.log = log;
  }

  @On(event = WsContextContext.CDS_NAME)
  public void wsContext(WsContextContext context) {
    if ("secret".equals(context.getContext())) {
      throw new ServiceException(ErrorStatuses.FORBIDDEN, "Context secret is not for you");
    }
    context.setResult("contexts " + context.getContext() + " " + context.getContexts() + " exit " + context.getExit()
        + " reset " + context.getReset());
  }

  @On(event = EchoHiddenContext.CDS_NAME)
  public void echoHidden(EchoHiddenContext context) {
    context.setResult(context.getText() + "/" + context.getHidden());
  }

  @On(event = JoinContext.CDS_NAME)
  public void join(JoinContext context) {
    WebSocketConnection connection = WebSockets.current().orElseThrow();
    String room = "room-" + context.getRoom();
    connection.enter(room);
    connection.broadcast("joined", Map.of("user", connection.user().getName(), "room", room),
        to -> to.contexts(room));
    connection.onDisconnect(code -> log.add("left " + connection.user().getName() + " " + code));
    context.setResult(List.copyOf(connection.contexts()));
  }

  @On(event = ShoutContext.CDS_NAME)
  public void shout(ShoutContext context) {
    WebSockets.current().orElseThrow().broadcastAll("everyone", Map.of("text", context.getText()),
        to -> to.contexts("room-" + context.getRoom()));
    context.setCompleted();
  }

  @On(event = WhisperContext.CDS_NAME)
  public void whisper(WhisperContext context) {
    WebSockets.current().orElseThrow().emit("everyone", Map.of("text", context.getText(), "extra", "shaped away"));
    context.setCompleted();
  }

  @On(event = KickContext.CDS_NAME)
  public void kick(KickContext context) {
    WebSockets.current().orElseThrow().disconnect();
    context.setCompleted();
  }
}
