// Every way of asking for a WebSocket endpoint, and some ways of not asking.
// Compiled to annotation-forms.csn.json (beside this file) with: cds compile annotation-forms.cds --to csn
@protocol: 'websocket' service ChatService {
  event e { a: String; b: { c: Integer; }; }
  function f(x: Integer) returns String;
  action g();
}
@ws service A {}
@websocket service B_Service {}
@protocol: 'ws' service my.ns.FooBarService {}
@protocol: ['odata', 'websocket'] service Both {}
@protocol: [{kind: 'websocket', path: 'custom'}] service C {}
@protocol: [{kind: 'websocket', path: '/abs/d'}] service D {}
@ws @path: 'epath' service E {}
@protocol.websocket service F {}
@ws: 'gpath' service G {}
@protocol: 'odata' service H {}
service I {}
@protocol: #websocket service J {}
@ws: false service K {}
@protocol: 'none' @ws service L {}
@ws @websocket service M {}
@ws @path: '/root-level' service N {}
// Mixins: marked events and operations of services that are not WebSocket services.
service O { @ws event oe {}; @ws.path: 'chat' action intoChat(); function hidden() returns String; }
