package dev.capws.websocket.internal.broker;

/** The Redis keys of the plugin, all below one prefix: the epoch, and one stream per WebSocket service. */
record StreamKeys(String prefix) {

  String epoch() {
    return prefix + ":epoch";
  }

  String stream(String service) {
    return prefix + ":stream:" + service;
  }

  String service(String streamKey) {
    return streamKey.substring(prefix.length() + ":stream:".length());
  }
}
