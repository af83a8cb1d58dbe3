package com.example.minimal;

import java.util.List;

import org.springframework.stereotype.Component;

import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.After;
import com.sap.cds.services.handler.annotations.On;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.liveservice.EchoContext;
import cds.gen.liveservice.LiveService;
import cds.gen.liveservice.LiveService_;
import cds.gen.liveservice.OrderPlaced;
import cds.gen.liveservice.OrderPlacedContext;
import cds.gen.orderservice.OrderService_;
import cds.gen.orderservice.Orders;
import cds.gen.orderservice.Orders_;

/**
 * Everything WebSocket-specific in this app: an order created over OData becomes an {@code orderPlaced} event for
 * every client of {@code /ws/live}, and clients can call {@code echo}. The names are generated from the CDS model:
 * {@code LiveService} (the service), {@code OrderPlaced} (the event's data) and {@code OrderPlacedContext} (the
 * event), {@code EchoContext} (the operation).
 */
@Component
@ServiceName(LiveService_.CDS_NAME)
public class OrderEvents implements EventHandler {

  private final LiveService live;

  OrderEvents(LiveService live) {
    this.live = live;
  }

  /** A handler of OrderService, in this class for brevity: sent once the order's transaction commits. */
  @After(service = OrderService_.CDS_NAME, entity = Orders_.CDS_NAME, event = "CREATE")
  public void placed(List<Orders> orders) {
    for (Orders order : orders) {
      OrderPlaced data = OrderPlaced.create();
      data.setId(order.getId());
      data.setProduct(order.getProduct());
      data.setQuantity(order.getQuantity());
      OrderPlacedContext event = OrderPlacedContext.create();
      event.setData(data);
      live.emit(event);
    }
  }

  @On(event = EchoContext.CDS_NAME)
  public void echo(EchoContext context) {
    context.setResult("echo: " + context.getText());
  }
}
