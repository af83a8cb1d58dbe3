package dev.capws.websocket.it;

import java.math.BigDecimal;

import org.springframework.stereotype.Component;

import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.On;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.cloudservice.CloudService_;
import cds.gen.cloudservice.OrderPlaced;
import cds.gen.cloudservice.OrderPlacedContext;
import cds.gen.cloudservice.PlaceContext;
import cds.gen.genericservice.GenericService_;
import cds.gen.genericservice.TellContext;
import cds.gen.genericservice.Told;
import cds.gen.genericservice.ToldContext;
import cds.gen.lineservice.LineService_;
import cds.gen.lineservice.Said;
import cds.gen.lineservice.SaidContext;
import cds.gen.lineservice.SayContext;
import cds.gen.pcpservice.Notification;
import cds.gen.pcpservice.NotificationContext;
import cds.gen.pcpservice.PcpService_;
import cds.gen.pcpservice.ReceiveContext;

/** The operations of the format services answer with an event, since clients of these formats get no replies. */
public class FormatHandlers {

  @Component
  @ServiceName(PcpService_.CDS_NAME)
  public static class Pcp implements EventHandler {
    @On(event = ReceiveContext.CDS_NAME)
    public void receive(ReceiveContext context) {
      Notification notification = Notification.create();
      notification.setText("got " + context.getBody());
      notification.setLevel(context.getPriority() + " " + context.getUrgent());
      NotificationContext event = NotificationContext.create();
      event.setData(notification);
      context.getService().emit(event);
      context.setCompleted();
    }
  }

  @Component
  @ServiceName(CloudService_.CDS_NAME)
  public static class Cloud implements EventHandler {
    @On(event = PlaceContext.CDS_NAME)
    public void place(PlaceContext context) {
      OrderPlaced placed = OrderPlaced.create();
      placed.setOrderId(context.getOrderId());
      placed.setAmount(context.getAmount().add(BigDecimal.ONE));
      placed.setSubject("orders/" + context.getOrderId());
      OrderPlacedContext event = OrderPlacedContext.create();
      event.setData(placed);
      context.getService().emit(event);
      context.setCompleted();
    }
  }

  @Component
  @ServiceName(GenericService_.CDS_NAME)
  public static class Generic implements EventHandler {
    @On(event = TellContext.CDS_NAME)
    public void tell(TellContext context) {
      Told told = Told.create();
      told.setHeadline("told: " + context.getBody());
      told.setBody("not in the generic frame");
      ToldContext event = ToldContext.create();
      event.setData(told);
      context.getService().emit(event);
      context.setCompleted();
    }
  }

  @Component
  @ServiceName(LineService_.CDS_NAME)
  public static class Line implements EventHandler {
    @On(event = SayContext.CDS_NAME)
    public void say(SayContext context) {
      SaidContext event = SaidContext.create();
      event.setData(Said.create());
      event.getData().setText(context.getText());
      context.getService().emit(event);
      context.setCompleted();
    }
  }
}
