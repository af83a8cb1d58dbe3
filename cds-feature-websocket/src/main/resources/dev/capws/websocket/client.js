/*
 * cds-feature-websocket browser client, served by the plugin at <prefix>/client.js (/ws/client.js by default).
 * Plain JavaScript, no dependencies, no build step. Speaks the `json` format: see docs/client.md and docs/protocol.md.
 *
 *   const chat = CapWebSocket.connect('/ws/chat');
 *   chat.on('serverNotification', (data) => ...);
 *   const reply = await chat.call('message', { text: 'hi' });
 */
(function (global) {
  'use strict';

  const DEFAULTS = {
    id: null,             // ?id=<identifier>: names this client for targeting (docs/targeting.md)
    recovery: true,       // reconnect with ?since=<last seq> when the service's events carry one
    minDelay: 500,        // first reconnect delay, ms
    maxDelay: 10000,      // the backoff doubles up to this, ms
    protocols: undefined  // WebSocket subprotocols, passed through
  };

  const OPEN = 1; // WebSocket.OPEN

  /** What a call's Promise is rejected with: the reply's `error` (status, code, message, target) and the reply. */
  class CapWebSocketError extends Error {
    constructor(error, frame) {
      super((error && error.message) || 'WebSocket call failed');
      this.name = 'CapWebSocketError';
      this.status = error && error.status;
      this.code = error && error.code;
      this.target = error && error.target;
      this.frame = frame;
    }
  }

  class Client {
    constructor(path, options) {
      this.options = Object.assign({}, DEFAULTS, options);
      this.url = new URL(path, global.location && global.location.href);
      if (this.url.protocol === 'http:') this.url.protocol = 'ws:';
      if (this.url.protocol === 'https:') this.url.protocol = 'wss:';
      if (this.options.id != null) this.url.searchParams.set('id', String(this.options.id));

      this.status = 'connecting'; // connecting | open | reconnecting | closed
      this.lastSeq = null;        // `seq` of the last event: where a reconnect catches up from
      this._handlers = new Map(); // event -> handlers
      this._pending = new Map();  // call id -> {resolve, reject, sent}
      this._queue = [];           // frames written while not connected, sent in order once connected
      this._nextId = 1;
      this._attempt = 0;          // failed attempts since the last open: the backoff's exponent
      this._contexts = new Set(); // entered again after every reconnect: contexts end with the connection
      this._opened = false;       // whether a connection was ever open: later opens are reconnects
      this._timer = null;
      this._socket = null;
      // Back online: no point waiting for the rest of the backoff.
      this._onOnline = () => { if (this.status === 'reconnecting') this._reconnectNow(); };
      if (global.addEventListener) global.addEventListener('online', this._onOnline);
      this._open();
    }

    /** Calls `handler(data, frame)` for each frame of `event`; returns a function that removes it. */
    on(event, handler) {
      if (!this._handlers.has(event)) this._handlers.set(event, []);
      this._handlers.get(event).push(handler);
      return () => this.off(event, handler);
    }

    off(event, handler) {
      const handlers = this._handlers.get(event);
      if (handlers) this._handlers.set(event, handlers.filter((h) => h !== handler));
    }

    /**
     * Calls the service's operation `event` with `data`: resolves with the reply's `data`, rejects with a
     * CapWebSocketError carrying the reply's `error`. A call already sent when the connection drops is rejected with
     * code DISCONNECTED (it may or may not have run); one not yet sent waits for the next connection.
     */
    call(event, data) {
      if (this.status === 'closed') {
        return Promise.reject(new CapWebSocketError({ code: 'CLOSED', message: 'The client was closed' }));
      }
      const id = this._newId();
      return new Promise((resolve, reject) => {
        this._pending.set(id, { resolve, reject, sent: false });
        this._write({ event, data: data === undefined ? {} : data, id });
      });
    }

    /** Sends a frame without waiting for a reply (a reply, if the server sends one, goes to `on(event)`). */
    send(event, data) {
      this._write({ event, data: data === undefined ? {} : data });
    }

    /** Enters contexts (docs/contexts.md); the client enters them again after every reconnect. */
    enter(...contexts) {
      contexts.forEach((c) => this._contexts.add(String(c)));
      return this.call('wsContext', { contexts });
    }

    exit(...contexts) {
      contexts.forEach((c) => this._contexts.delete(String(c)));
      return this.call('wsContext', { contexts, exit: true });
    }

    contexts() {
      return [...this._contexts];
    }

    /** While waiting to reconnect: tries now instead of when the backoff ends (e.g. on a user's click). */
    reconnect() {
      if (this.status === 'reconnecting') this._reconnectNow();
    }

    /** Closes the connection for good: no reconnect; the calls still waiting are rejected with code CLOSED. */
    close() {
      this._setStatus('closed');
      clearTimeout(this._timer);
      if (global.removeEventListener) global.removeEventListener('online', this._onOnline);
      if (this._socket) this._socket.close(1000, 'Client closed');
      this._failPending('CLOSED', 'The client was closed', false);
      this._queue = [];
    }

    // --- internals ---

    _newId() {
      return 'c' + this._nextId++;
    }

    _emit(event, data, frame) {
      for (const handler of this._handlers.get(event) || []) {
        try {
          handler(data, frame);
        } catch (e) {
          setTimeout(() => { throw e; }); // reported, but the other handlers still get the frame
        }
      }
    }

    _setStatus(status) {
      if (this.status === status) return;
      this.status = status;
      this._emit('wsStatus', status);
    }

    _write(frame) {
      if (this._socket && this._socket.readyState === OPEN) {
        this._transmit(frame);
      } else {
        this._queue.push(frame);
      }
    }

    _transmit(frame) {
      this._socket.send(JSON.stringify(frame));
      const call = frame.id != null && this._pending.get(frame.id);
      if (call) call.sent = true;
    }

    _open() {
      const url = new URL(this.url.href);
      const since = this._opened && this.options.recovery ? this.lastSeq : null;
      if (since != null) url.searchParams.set('since', since);
      const socket = new WebSocket(url.href, this.options.protocols);
      this._socket = socket;
      socket.onopen = () => this._onOpen(since);
      socket.onmessage = (message) => this._receive(message.data);
      socket.onclose = (close) => {
        if (this._socket !== socket) return;
        this._socket = null;
        this._failPending('DISCONNECTED', 'The connection was lost before the reply', true);
        this._emit('wsClose', { code: close.code, reason: close.reason });
        if (this.status !== 'closed') this._scheduleReconnect();
      };
      // onerror is always followed by onclose, which does the work.
    }

    _onOpen(since) {
      const reconnect = this._opened;
      this._opened = true;
      this._attempt = 0;
      this._setStatus('open');
      if (this._contexts.size > 0) {
        // First, so that the contexts are in force before the queued frames run (a connection's frames run in order).
        // Its reply is this client's business: only a failure is reported, as wsError.
        const id = this._newId();
        this._pending.set(id, {
          resolve() {},
          reject: (error) => { if (error.frame) this._emit('wsError', error, error.frame); },
          sent: false
        });
        this._transmit({ event: 'wsContext', data: { contexts: this.contexts() }, id });
      }
      const queued = this._queue;
      this._queue = [];
      queued.forEach((frame) => this._transmit(frame));
      this._emit('wsOpen', { reconnect, since });
      // Without a position to catch up from, what happened while away is lost: the app must load again.
      if (reconnect && since == null) this._emit('wsReload', { reason: 'reconnected' });
    }

    _receive(text) {
      let frame;
      try {
        frame = JSON.parse(text);
      } catch (e) {
        return; // not the json format: nothing to dispatch
      }
      if (frame === null || typeof frame !== 'object') return;
      if (typeof frame.seq === 'string') this.lastSeq = frame.seq;
      const call = frame.id != null && this._pending.get(frame.id);
      if (call) {
        this._pending.delete(frame.id);
        if (frame.error) call.reject(new CapWebSocketError(frame.error, frame));
        else call.resolve(frame.data === undefined ? null : frame.data);
      } else if (frame.event === 'wsRecovery') {
        this._emit('wsRecovery', frame.data, frame);
        if (frame.data && frame.data.recovered === false) {
          this._emit('wsReload', { reason: 'not-recovered' });
        } else if (this._contexts.size > 0) {
          // Events for contexts are recovered only if other filters select this client (protocol.md, Recovery).
          this._emit('wsReload', { reason: 'contexts' });
        }
      } else if (frame.error) {
        this._emit('wsError', new CapWebSocketError(frame.error, frame), frame);
      } else {
        this._emit(frame.event, frame.data, frame);
      }
    }

    /** Rejects the calls waiting for a reply; with `sentOnly`, those not sent yet stay for the next connection. */
    _failPending(code, message, sentOnly) {
      for (const [id, call] of this._pending) {
        if (sentOnly && !call.sent) continue;
        this._pending.delete(id);
        call.reject(new CapWebSocketError({ code, message }));
      }
    }

    /** Exponential backoff with jitter, so that clients dropped together do not all come back in the same instant. */
    _scheduleReconnect() {
      const ceiling = Math.min(this.options.maxDelay, this.options.minDelay * 2 ** this._attempt);
      const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
      this._attempt++;
      this._setStatus('reconnecting');
      clearTimeout(this._timer);
      this._timer = setTimeout(() => this._reconnectNow(), delay);
      this._emit('wsReconnecting', { attempt: this._attempt, delay });
    }

    _reconnectNow() {
      clearTimeout(this._timer);
      if (this.status === 'closed' || this._socket) return;
      this._setStatus('connecting');
      this._open();
    }
  }

  global.CapWebSocket = {
    /** A client of the WebSocket service at `path` (relative to the page, or a ws:// / wss:// URL). */
    connect: (path, options) => new Client(path, options),
    Error: CapWebSocketError
  };
})(typeof window !== 'undefined' ? window : globalThis);
