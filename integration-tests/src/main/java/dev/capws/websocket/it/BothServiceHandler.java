package dev.capws.websocket.it;

import java.util.List;

import org.springframework.stereotype.Component;

import com.sap.cds.services.cds.CqnService;
import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.After;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.bothservice.BothService;
import cds.gen.bothservice.BothService_;
import cds.gen.bothservice.ItemAdded;
import cds.gen.bothservice.ItemAddedContext;
import cds.gen.bothservice.ItemAddedNotTab1;
import cds.gen.bothservice.ItemAddedNotTab1Context;
import cds.gen.bothservice.Items;
import cds.gen.bothservice.Items_;

/** An OData write on a service that is also a WebSocket service notifies that service's own clients. */
@Component
@ServiceName(BothService_.CDS_NAME)
public class BothServiceHandler implements EventHandler {

  @After(event = CqnService.EVENT_CREATE, entity = Items_.CDS_NAME)
  public void added(List<Items> items, BothService service) {
    for (Items item : items) {
      ItemAdded added = ItemAdded.create();
      added.setId(item.getId());
      added.setName(item.getName());
      ItemAddedContext event = ItemAddedContext.create();
      event.setData(added);
      service.emit(event);
      ItemAddedNotTab1 notTab1 = ItemAddedNotTab1.create();
      notTab1.setId(item.getId());
      ItemAddedNotTab1Context second = ItemAddedNotTab1Context.create();
      second.setData(notTab1);
      service.emit(second);
    }
  }
}
