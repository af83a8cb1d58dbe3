const cds = require("@sap/cds");
const { reply } = require("./reply-format");

// The tutorial's chat-service.js, plus a reply to the calling socket: the Node plugin answers client frames only
// over Socket.IO acknowledgements, never over plain WebSocket, and the benchmark measures call round trips.
module.exports = class ChatService extends cds.ApplicationService {
  init() {
    this.on("message", (req) => reply(req, `Message received: ${req.data.text}`));

    this.on("sendSystemMessage", async (req) => {
      await this.emit("systemMessage", {
        type: "system",
        level: "info",
        text: req.data.text,
        timestamp: new Date().toISOString(),
      });
      return reply(req, "System message sent");
    });

    return super.init();
  }
};
