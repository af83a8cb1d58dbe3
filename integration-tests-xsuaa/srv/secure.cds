/** A WebSocket service behind XSUAA: every client must come with a valid token. */
@protocol: 'websocket'
@requires: 'authenticated-user'
service SecureService {
  event note { text: String; }
  function me() returns String;
  action tell(text: String);
}
