package dev.capws.websocket.spi;

/**
 * One committed event on its way to every instance.
 *
 * @param id      unique per event (a retry of the outbox sends the same id again)
 * @param service the qualified name of the CDS service whose clients it is for (one channel or stream per service
 *                keeps each service's history apart)
 * @param origin  the instance that published it
 * @param body    the event with its targeting, as the plugin writes it: opaque to the engine, to be handed back as is
 */
public record BrokerMessage(String id, String service, String origin, String body) {}
