package dev.capws.websocket.it;

import org.springframework.stereotype.Component;

import com.sap.cds.services.ErrorStatus;
import com.sap.cds.services.ServiceException;
import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.On;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.hookservice.AdminOnlyContext;
import cds.gen.hookservice.EchoContext;
import cds.gen.hookservice.EmitPingContext;
import cds.gen.hookservice.EmitThenFailContext;
import cds.gen.hookservice.FailContext;
import cds.gen.hookservice.HookService_;
import cds.gen.hookservice.Ping;
import cds.gen.hookservice.PingContext;
import cds.gen.hookservice.WhoAmIContext;
import cds.gen.hookservice.WsConnectContext;
import cds.gen.hookservice.WsDisconnectContext;

import dev.capws.websocket.api.WebSockets;

@Component
@ServiceName(HookService_.CDS_NAME)
public class HookServiceHandler implements EventHandler {

  private final HookLog log;
  private final SlowHooks slow;

  HookServiceHandler(HookLog log, SlowHooks slow) {
    this.log = log;
    this.slow = slow;
  }

  @On(event = WsConnectContext.CDS_NAME)
  public void connect(WsConnectContext context) {
    log.add("connect " + context.getUserInfo().getName() + " " + context.getUserInfo().getTenant());
    WebSockets.current().filter(connection -> SlowHooks.applies(connection.identifier()))
        .ifPresent(connection -> connection.onDisconnect(code -> slow.callbackRan()));
    context.setCompleted();
  }

  @On(event = WsDisconnectContext.CDS_NAME)
  public void disconnect(WsDisconnectContext context) {
    if (WebSockets.current().filter(connection -> SlowHooks.applies(connection.identifier())).isPresent()) {
      slow.work();
    }
    log.add("disconnect " + context.getUserInfo().getName() + " " + context.getReason());
    context.setCompleted();
  }

  @On(event = EmitPingContext.CDS_NAME)
  public void emitPing(EmitPingContext context) {
    ping(context.getService(), context.getText(), context.getUserInfo().getName());
    context.setResult("sent");
  }

  @On(event = EmitThenFailContext.CDS_NAME)
  public void emitThenFail(EmitThenFailContext context) {
    ping(context.getService(), context.getText(), context.getUserInfo().getName());
    throw new ServiceException(status(409), "Failed after emitting");
  }

  @On(event = WhoAmIContext.CDS_NAME)
  public void whoAmI(WhoAmIContext context) {
    context.setResult(context.getUserInfo().getName() + "@" + context.getUserInfo().getTenant());
  }

  @On(event = FailContext.CDS_NAME)
  public void fail(FailContext context) {
    if (context.getStatus() >= 500) {
      throw new IllegalStateException("A bug: internal details that must not reach the client");
    }
    throw new ServiceException(status(context.getStatus()), "Refused with {}", context.getStatus());
  }

  @On(event = AdminOnlyContext.CDS_NAME)
  public void adminOnly(AdminOnlyContext context) {
    context.setResult("for admins");
  }

  @On(event = EchoContext.CDS_NAME)
  public void echo(EchoContext context) {
    EchoContext.ReturnType result = EchoContext.ReturnType.create();
    result.setText(context.getText());
    result.setCount(context.getCount());
    context.setResult(result);
  }

  private static void ping(com.sap.cds.services.Service service, String text, String sender) {
    Ping ping = Ping.create();
    ping.setText(text);
    ping.setSender(sender);
    PingContext event = PingContext.create();
    event.setData(ping);
    service.emit(event);
  }

  private static ErrorStatus status(int status) {
    return new ErrorStatus() {
      @Override
      public String getCodeString() {
        return "STATUS_" + status;
      }

      @Override
      public int getHttpStatus() {
        return status;
      }
    };
  }
}
