package dev.capws.websocket.internal.outbound;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sap.cds.services.EventContext;
import com.sap.cds.services.outbox.OutboxMessage;
import com.sap.cds.services.outbox.OutboxMessageEventContext;
import com.sap.cds.services.outbox.OutboxService;

import dev.capws.websocket.internal.broker.Broker;
import dev.capws.websocket.internal.broker.EnvelopeCodec;
import dev.capws.websocket.internal.targeting.Envelope;

/**
 * Delivery through CAP's outbox ({@code cds.websocket.outbox}): an envelope is stored in the emitting transaction,
 * with the data (a persistent outbox writes to the application's database), and the outbox hands it to the broker
 * once the transaction has committed, retrying until the broker has it. So an event committed with its data is not
 * lost when the instance dies between the commit and the publish, or Redis is away then; a rolled-back transaction
 * takes its events with it. Each envelope keeps its id across retries, so the broker delivers it once.
 */
public final class OutboxDelivery {

  /** The outbox event that carries an envelope. */
  public static final String EVENT = "cds.websocket.envelope";
  /** An empty outbox event: processing it makes the outbox take up what an earlier instance left stored. */
  static final String WAKE_UP = "cds.websocket.wakeUp";
  private static final Logger LOG = LoggerFactory.getLogger(OutboxDelivery.class);

  private final OutboxService outbox;
  private final Broker broker;

  public OutboxDelivery(OutboxService outbox, Broker broker) {
    this.outbox = outbox;
    this.broker = broker;
    outbox.on(EVENT, null, this::deliver);
    outbox.on(WAKE_UP, null, EventContext::setCompleted);
  }

  /**
   * Makes the outbox go through what it holds for the current tenant now: CAP's outbox takes up stored messages
   * when a new one arrives (or at its periodic run, every two hours by default), so after a restart the events an
   * earlier instance could not publish would otherwise wait for the next event.
   */
  public void wakeUp() {
    outbox.submit(WAKE_UP, OutboxMessage.create());
  }

  /** Stores the envelope in the current transaction (or one of its own outside any). */
  void submit(Envelope envelope) {
    OutboxMessage message = OutboxMessage.create();
    message.setParams(Map.of("id", UUID.randomUUID().toString(), "envelope", EnvelopeCodec.write(envelope)));
    outbox.submit(EVENT, message);
  }

  /** Runs when the outbox processes a stored envelope; an exception makes the outbox try again later. */
  private void deliver(EventContext context) {
    Map<String, Object> params = context.as(OutboxMessageEventContext.class).getMessage().getParams();
    Envelope envelope;
    try {
      envelope = EnvelopeCodec.read(String.valueOf(params.get("envelope")));
    } catch (IOException e) {
      LOG.error("Dropped an outbox message that holds no envelope", e); // retrying would not make it one
      context.setCompleted();
      return;
    }
    broker.publishDurably(envelope, String.valueOf(params.get("id")));
    context.setCompleted();
  }
}
