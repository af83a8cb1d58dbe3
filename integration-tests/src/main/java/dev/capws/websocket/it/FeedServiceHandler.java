package dev.capws.websocket.it;

import java.util.Map;

import org.springframework.stereotype.Component;

import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.On;
import com.sap.cds.services.handler.annotations.ServiceName;
import com.sap.cds.services.runtime.CdsRuntime;

import cds.gen.feedservice.FeedService_;
import cds.gen.feedservice.LeaveContext;
import cds.gen.feedservice.TellOthersContext;
import cds.gen.feedservice.Tick;
import cds.gen.feedservice.TickContext;
import cds.gen.feedservice.TicksContext;

import dev.capws.websocket.api.WebSockets;

@Component
@ServiceName(FeedService_.CDS_NAME)
public class FeedServiceHandler implements EventHandler {

  private final CdsRuntime runtime;

  FeedServiceHandler(CdsRuntime runtime) {
    this.runtime = runtime;
  }

  @On(event = TicksContext.CDS_NAME)
  public void ticks(TicksContext context) {
    for (int i = 0; i < context.getCount(); i++) {
      int n = context.getStart() + i;
      runtime.changeSetContext().run(changeSet -> {
        TickContext tick = TickContext.create();
        tick.setData(Tick.of(Map.of("n", n, "text", "tick " + n)));
        context.getService().emit(tick);
      });
    }
    context.setResult(context.getCount());
  }

  @On(event = LeaveContext.CDS_NAME)
  public void leave(LeaveContext context) {
    WebSockets.current().orElseThrow().disconnect();
    context.setCompleted();
  }

  @On(event = TellOthersContext.CDS_NAME)
  public void tellOthers(TellOthersContext context) {
    WebSockets.current().orElseThrow().broadcast("tick", Map.of("n", -1, "text", context.getText()));
    context.setCompleted();
  }
}
