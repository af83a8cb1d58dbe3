/*
 * cds-feature-websocket browser client, served by the plugin at <prefix>/client.js (/ws/client.js by default).
 * Plain JavaScript, no dependencies. Speaks the `json` format: see docs/client.md and docs/protocol.md.
 *
 *   const chat = CapWebSocket.connect('/ws/chat');
 *   chat.on('serverNotification', data => ...);
 *   const reply = await chat.call('message', { text: 'hi' });
 */
(function (global) {
  'use strict';

  var DEFAULTS = {
    id: null,            // ?id=<identifier>: names this client for targeting (docs/targeting.md)
    recovery: true,      // reconnect with ?since=<last seq> when the service's frames carry one
    minDelay: 500,       // first reconnect delay, ms
    maxDelay: 10000,     // the backoff doubles up to this, ms
    protocols: undefined // WebSocket subprotocols, passed through
  };

  /** The error a call's Promise is rejected with: the reply's `error` object, with the frame it came in. */
  function CapWebSocketError(error, frame) {
    var self = new Error(error && error.message || 'WebSocket call failed');
    Object.setPrototypeOf(self, CapWebSocketError.prototype);
    self.name = 'CapWebSocketError';
    self.status = error && error.status;
    self.code = error && error.code;
    self.target = error && error.target;
    self.frame = frame;
    return self;
  }
  CapWebSocketError.prototype = Object.create(Error.prototype, {
    constructor: { value: CapWebSocketError }
  });

  function toUrl(path, options) {
    var url = new URL(path, global.location ? global.location.href : undefined);
    if (url.protocol === 'http:') url.protocol = 'ws:';
    if (url.protocol === 'https:') url.protocol = 'wss:';
    if (options.id != null) url.searchParams.set('id', String(options.id));
    return url;
  }

  function Client(path, options) {
    this.options = Object.assign({}, DEFAULTS, options || {});
    this.url = toUrl(path, this.options);
    this.status = 'connecting';  // connecting | open | reconnecting | closed
    this.lastSeq = null;         // position of the last event frame: where a reconnect catches up from
    this._handlers = {};
    this._pending = {};          // call id -> {resolve, reject, frame}
    this._queue = [];            // frames written while not open, sent in order once open
    this._nextId = 1;
    this._attempt = 0;
    this._contexts = new Set();  // entered again after every reconnect: contexts end with the connection
    this._opened = false;        // whether any connection was ever open: later opens are reconnects
    this._timer = null;
    this._socket = null;
    this._open();
    var self = this;
    // When the browser is back online there is no point waiting for the backoff.
    if (global.addEventListener) {
      this._onOnline = function () { if (self.status === 'reconnecting') self._reconnectNow(); };
      global.addEventListener('online', this._onOnline);
    }
  }

  /** Calls `handler(data, frame)` for each frame of `event`; returns a function that removes it. */
  Client.prototype.on = function (event, handler) {
    (this._handlers[event] = this._handlers[event] || []).push(handler);
    var self = this;
    return function () { self.off(event, handler); };
  };

  Client.prototype.off = function (event, handler) {
    var list = this._handlers[event];
    if (list) this._handlers[event] = list.filter(function (h) { return h !== handler; });
  };

  /**
   * Calls the service's operation `event` with `data`: resolves with the reply's `data`, rejects with a
   * CapWebSocketError carrying the reply's `error` (status, code, message, target). A call still unanswered when the
   * connection drops is rejected with code DISCONNECTED: it may or may not have run.
   */
  Client.prototype.call = function (event, data) {
    var self = this;
    if (this.status === 'closed') {
      return Promise.reject(new CapWebSocketError({ code: 'CLOSED', message: 'The client was closed' }));
    }
    var id = 'c' + this._nextId++;
    var frame = { event: event, data: data === undefined ? {} : data, id: id };
    return new Promise(function (resolve, reject) {
      self._pending[id] = { resolve: resolve, reject: reject, sent: false };
      self._write(frame);
    });
  };

  /** Sends a frame without waiting for its reply (a reply, if the server sends one, goes to `on(event)`). */
  Client.prototype.send = function (event, data) {
    this._write({ event: event, data: data === undefined ? {} : data });
  };

  /** Enters contexts (docs/contexts.md); they are entered again after every reconnect. */
  Client.prototype.enter = function () {
    var contexts = Array.prototype.slice.call(arguments);
    contexts.forEach(function (c) { this._contexts.add(String(c)); }, this);
    return this.call('wsContext', { contexts: contexts });
  };

  Client.prototype.exit = function () {
    var contexts = Array.prototype.slice.call(arguments);
    contexts.forEach(function (c) { this._contexts.delete(String(c)); }, this);
    return this.call('wsContext', { contexts: contexts, exit: true });
  };

  Client.prototype.contexts = function () {
    return Array.from(this._contexts);
  };

  /** While waiting to reconnect: tries now instead of when the backoff ends (e.g. on a user's click). */
  Client.prototype.reconnect = function () {
    if (this.status === 'reconnecting') this._reconnectNow();
  };

  /** Closes the connection for good: no reconnect; pending calls are rejected. */
  Client.prototype.close = function () {
    this._setStatus('closed');
    clearTimeout(this._timer);
    if (this._onOnline) global.removeEventListener('online', this._onOnline);
    if (this._socket) this._socket.close(1000, 'Client closed');
    this._failPending('CLOSED', 'The client was closed');
    this._queue = [];
  };

  // --- internals ---

  Client.prototype._emit = function (event, data, frame) {
    (this._handlers[event] || []).slice().forEach(function (handler) {
      try {
        handler(data, frame);
      } catch (e) { // one failing handler must not keep the frame from the others
        setTimeout(function () { throw e; });
      }
    });
  };

  Client.prototype._setStatus = function (status) {
    if (this.status === status) return;
    this.status = status;
    this._emit('wsStatus', status);
  };

  Client.prototype._write = function (frame) {
    if (this._socket && this._socket.readyState === 1) {
      this._transmit(this._socket, frame);
    } else {
      this._queue.push(frame);
    }
  };

  Client.prototype._transmit = function (socket, frame) {
    socket.send(JSON.stringify(frame));
    if (frame.id != null && this._pending[frame.id]) this._pending[frame.id].sent = true;
  };

  Client.prototype._open = function () {
    var url = new URL(this.url.href);
    var catchUp = this._opened && this.options.recovery && this.lastSeq != null;
    if (catchUp) url.searchParams.set('since', this.lastSeq);
    var socket = new WebSocket(url.href, this.options.protocols);
    var self = this;
    this._socket = socket;
    socket.onopen = function () {
      var reconnect = self._opened;
      self._opened = true;
      self._attempt = 0;
      self._setStatus('open');
      if (self._contexts.size > 0) {
        // Sent first so that it is in force before the queued frames run (frames run in order). Its reply is
        // this client's business, not the app's: only a failure is reported, as wsError.
        var id = 'c' + self._nextId++;
        self._pending[id] = {
          resolve: function () {},
          reject: function (error) { if (error.frame) self._emit('wsError', error, error.frame); },
          sent: true
        };
        socket.send(JSON.stringify({ event: 'wsContext', data: { contexts: self.contexts() }, id: id }));
      }
      var queued = self._queue;
      self._queue = [];
      queued.forEach(function (frame) { self._transmit(socket, frame); });
      self._emit('wsOpen', { reconnect: reconnect, since: catchUp ? self.lastSeq : null });
      // Without a position to catch up from, what happened while away is lost: the app must reload.
      if (reconnect && !catchUp) self._emit('wsReload', { reason: 'reconnected' });
    };
    socket.onmessage = function (message) { self._receive(message.data); };
    socket.onclose = function (close) {
      if (self._socket !== socket) return;
      self._socket = null;
      self._failPending('DISCONNECTED', 'The connection was lost before the reply', true);
      self._emit('wsClose', { code: close.code, reason: close.reason });
      if (self.status !== 'closed') self._scheduleReconnect();
    };
    // onerror is always followed by onclose, which does the work.
  };

  Client.prototype._receive = function (text) {
    var frame;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      return; // not this format: nothing to dispatch
    }
    if (frame === null || typeof frame !== 'object') return;
    if (typeof frame.seq === 'string') this.lastSeq = frame.seq;
    var pending = frame.id != null && this._pending[frame.id];
    if (pending) {
      delete this._pending[frame.id];
      if (frame.error) pending.reject(new CapWebSocketError(frame.error, frame));
      else pending.resolve(frame.data === undefined ? null : frame.data);
      return;
    }
    if (frame.event === 'wsRecovery') {
      this._emit('wsRecovery', frame.data, frame);
      if (frame.data && frame.data.recovered === false) {
        this._emit('wsReload', { reason: 'not-recovered' });
      } else if (this._contexts.size > 0) {
        // Events for contexts are recovered only if other filters select this client (protocol.md, Recovery).
        this._emit('wsReload', { reason: 'contexts' });
      }
      return;
    }
    if (frame.error) {
      this._emit('wsError', new CapWebSocketError(frame.error, frame), frame);
      return;
    }
    this._emit(frame.event, frame.data, frame);
  };

  /** Rejects the calls waiting for a reply; with `sentOnly`, calls still queued stay queued for the next connection. */
  Client.prototype._failPending = function (code, message, sentOnly) {
    var pending = this._pending;
    Object.keys(pending).forEach(function (id) {
      var call = pending[id];
      if (sentOnly && !call.sent) return;
      delete pending[id];
      call.reject(new CapWebSocketError({ code: code, message: message }));
    });
  };

  /** Exponential backoff with jitter, so that clients dropped together do not all come back in the same instant. */
  Client.prototype._scheduleReconnect = function () {
    var max = Math.min(this.options.maxDelay, this.options.minDelay * Math.pow(2, this._attempt));
    var delay = Math.round(max / 2 + Math.random() * max / 2);
    this._attempt++;
    this._setStatus('reconnecting');
    this.nextAttemptIn = delay;
    var self = this;
    clearTimeout(this._timer);
    this._timer = setTimeout(function () { self._reconnectNow(); }, delay);
    this._emit('wsReconnecting', { attempt: this._attempt, delay: delay });
  };

  Client.prototype._reconnectNow = function () {
    clearTimeout(this._timer);
    if (this.status === 'closed' || this._socket) return;
    this._setStatus('connecting');
    this._open();
  };

  global.CapWebSocket = {
    /** Opens a client for the WebSocket service at `path` (relative to the page, or a ws:// / wss:// URL). */
    connect: function (path, options) { return new Client(path, options); },
    Error: CapWebSocketError
  };
})(typeof window !== 'undefined' ? window : globalThis);
