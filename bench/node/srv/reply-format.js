const cds = require("@sap/cds");
const JSONFormat = require("@cap-js-community/websocket/src/format/json");

// The request id of a client frame ({"event":"message","data":{...},"id":1}), carried to the handler as a header:
// the plugin hands handlers only `data` and `headers`, and the reply must echo the id as the Java plugin's does.
const ID = "x-ws-reply-id";

/** The plugin's json format, except that it keeps the client frame's `id` (configured as cds.websocket.format). */
class ReplyFormat extends JSONFormat {
  parse(data) {
    const payload = super.parse(data);
    if (payload.id !== undefined) payload.headers = { ...payload.headers, [ID]: payload.id };
    return payload;
  }
}

/**
 * Sends `result` back to the socket the call came from, as the Java plugin replies:
 * {"event":"<operation>","data":<result>,"id":<id, if the call had one>}. Returns the result for other callers.
 * Plain WebSocket only: with the socket.io kind the plugin answers with the acknowledgement itself, and a send here
 * would be an extra `message` event to the client.
 */
function reply(req, result) {
  const socket = req.context?.ws?.socket;
  if (socket && cds.env.websocket?.kind !== "socket.io") {
    const id = req.headers?.[ID];
    socket.send(JSON.stringify(id === undefined ? { event: req.event, data: result } : { event: req.event, data: result, id }));
  }
  return result;
}

module.exports = ReplyFormat;
module.exports.reply = reply;
