package dev.capws.websocket.internal.outbound;

/**
 * How events are published.
 *
 * @param shapePayload       {@code cds.websocket.shape-payload}: send only the elements an event declares (the Node
 *                           plugin sends whatever the handler emitted)
 * @param afterCommit        {@code cds.websocket.after-commit}: hold events until the emitting change set commits and
 *                           drop them on rollback (the Node plugin sends at once, before the commit)
 * @param httpHeaderIncludes {@code cds.websocket.http-header-includes}: also take {@code x-ws-*} HTTP headers that
 *                           add recipients (by default only those that leave recipients out)
 */
public record PublishSettings(boolean shapePayload, boolean afterCommit, boolean httpHeaderIncludes) {

  public static PublishSettings defaults() {
    return new PublishSettings(true, true, false);
  }
}
