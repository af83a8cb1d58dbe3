package dev.capws.samples.fileintegration;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.sap.cds.ql.Select;
import com.sap.cds.ql.cqn.CqnAnalyzer;
import com.sap.cds.ql.cqn.CqnStatement;
import com.sap.cds.services.EventContext;
import com.sap.cds.services.cds.CdsCreateEventContext;
import com.sap.cds.services.cds.CdsDeleteEventContext;
import com.sap.cds.services.cds.CdsUpdateEventContext;
import com.sap.cds.services.cds.CqnService;
import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.After;
import com.sap.cds.services.handler.annotations.ServiceName;
import com.sap.cds.services.persistence.PersistenceService;

import cds.gen.chatservice.ChatService;
import cds.gen.chatservice.ServerNotification;
import cds.gen.chatservice.ServerNotificationContext;
import cds.gen.testservice.Data;
import cds.gen.testservice.Data_;
import cds.gen.testservice.TestService_;

/**
 * The tutorial's test-service.js in Java: after every change of a {@code Data} row, a {@code serverNotification}
 * with the row as stored goes to every client of {@code ws://.../ws/chat}. It leaves when the OData request's
 * transaction commits; if the request fails, nothing is sent.
 */
@Component
@ServiceName(TestService_.CDS_NAME)
public class DataNotifier implements EventHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DataNotifier.class);

  private final ChatService chat;
  private final PersistenceService db;

  DataNotifier(ChatService.Application chat, PersistenceService db) {
    this.chat = chat;
    this.db = db;
  }

  @After(event = CqnService.EVENT_CREATE, entity = Data_.CDS_NAME)
  public void created(CdsCreateEventContext context, List<Data> rows) {
    rows.forEach(row -> notifyStored("created", row.getId()));
  }

  /** An OData PATCH carries only the changed fields, so the stored row is read again, by the key of the request. */
  @After(event = CqnService.EVENT_UPDATE, entity = Data_.CDS_NAME)
  public void updated(CdsUpdateEventContext context) {
    key(context, context.getCqn()).ifPresent(id -> notifyStored("updated", id));
  }

  @After(event = CqnService.EVENT_DELETE, entity = Data_.CDS_NAME)
  public void deleted(CdsDeleteEventContext context) {
    key(context, context.getCqn()).ifPresent(id -> send("deleted", id, null, null));
  }

  private void notifyStored(String action, String id) {
    Optional<Data> row = db.run(Select.from(Data_.class).byId(id)).first(Data.class);
    row.ifPresent(r -> send(action, r.getId(), r.getValue(), r.getCount()));
  }

  private Optional<String> key(EventContext context, CqnStatement statement) {
    Map<String, Object> keys = CqnAnalyzer.create(context.getModel()).analyze(statement.ref()).targetKeys();
    Object id = keys.get(Data.ID);
    if (id == null) {
      LOG.debug("{} of Data without a key: no notification", context.getEvent());
    }
    return Optional.ofNullable(id).map(Object::toString);
  }

  private void send(String action, String id, String value, Integer count) {
    ServerNotification.Data data = ServerNotification.Data.create();
    data.setId(id);
    data.setValue(value);
    data.setCount(count);

    ServerNotification notification = ServerNotification.create();
    notification.setType("server");
    notification.setAction(action);
    notification.setEntity("Data");
    notification.setData(data);
    notification.setTimestamp(Instant.now().truncatedTo(ChronoUnit.MILLIS)); // as toISOString() in the tutorial

    ServerNotificationContext event = ServerNotificationContext.create();
    event.setData(notification);
    chat.emit(event);
  }
}
