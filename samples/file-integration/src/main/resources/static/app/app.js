// The live page: Data over OData, kept current by ChatService's serverNotification events over WebSocket.
// Paths are relative to /app/, so the page also works below a servlet context path.
'use strict';

const ODATA = '../odata/v4/test/Data';
const $ = (selector) => document.querySelector(selector);

const rows = new Map(); // ID -> {ID, value, count}, as last loaded or notified
let loading = null;     // events that arrive during a load, applied once it is in (they may be newer than it)
let loads = 0;          // completed loads, shown as data-loads on the table for tests and automation

// ---- WebSocket: the plugin's client, reconnecting with backoff and catching up with ?since= when it can ----

const chat = CapWebSocket.connect('../ws/chat', { maxDelay: 5000 });

chat.on('wsStatus', showStatus);
chat.on('wsReconnecting', ({ attempt, delay }) =>
  setStatus('reconnecting', `reconnecting in ${(delay / 1000).toFixed(1)} s (attempt ${attempt})`));
// Load once connected: every change committed after the connection opened is notified, and the load sees the rest.
chat.on('wsOpen', ({ reconnect }) => { if (!reconnect) load(); });
chat.on('wsRecovery', ({ recovered, count }) => {
  if (recovered) setStatus('open', `connected (caught up: ${count} missed event${count === 1 ? '' : 's'})`);
});
// Missed events could not be replayed (no recovery, or the history did not reach back): read everything again.
chat.on('wsReload', ({ reason }) => {
  setStatus('open', `connected (reloaded: ${reason})`);
  load();
});
chat.on('serverNotification', (notification) => {
  if (notification.entity !== 'Data') return;
  if (loading) loading.push(notification); else apply(notification);
});
chat.on('systemMessage', ({ level, text, timestamp }) => {
  const item = document.createElement('li');
  item.className = level || 'info';
  item.textContent = `${new Date(timestamp).toLocaleTimeString()} — ${text}`;
  $('#system-messages').prepend(item);
  while ($('#system-messages').children.length > 3) $('#system-messages').lastElementChild.remove();
});

function showStatus(status) {
  const text = { connecting: 'connecting…', open: 'connected', reconnecting: 'reconnecting…', closed: 'closed' };
  setStatus(status, text[status] || status);
}

function setStatus(status, text) {
  $('#status').dataset.status = status;
  $('#status').textContent = text;
}

// ---- Data: loaded over OData, then changed by notifications ----

async function load() {
  loading = loading || [];
  try {
    const response = await fetch(`${ODATA}?$select=ID,value,count&$orderby=createdAt`);
    if (!response.ok) throw new Error(`GET Data: ${response.status}`);
    const { value } = await response.json();
    rows.clear();
    value.forEach((row) => rows.set(row.ID, row));
    document.querySelectorAll('#rows tbody tr').forEach((tr) => tr.remove());
    value.forEach((row) => render(row.ID, false));
  } catch (e) {
    $('#form-error').textContent = e.message;
  } finally {
    const pending = loading;
    loading = null;
    pending.forEach(apply);
    showEmpty();
    $('#rows').dataset.loads = ++loads;
  }
}

function apply({ action, data }) {
  if (action === 'deleted') {
    rows.delete(data.id);
    const tr = rowElement(data.id);
    if (tr) {
      // Shown struck through for a moment, so that a delete made elsewhere is noticed too.
      tr.classList.add('deleted');
      flash(tr);
      setTimeout(() => tr.remove(), 2000);
    }
    if ($('#row-id').value === data.id) clearForm();
  } else {
    rows.set(data.id, { ID: data.id, value: data.value, count: data.count });
    render(data.id, true);
  }
  showEmpty();
}

function render(id, highlight) {
  const row = rows.get(id);
  let tr = rowElement(id);
  if (!tr || tr.classList.contains('deleted')) {
    tr = document.createElement('tr');
    tr.dataset.id = id;
    tr.innerHTML = '<td class="value"></td><td class="count"></td><td class="id"></td>';
    tr.addEventListener('click', () => edit(id));
    $('#rows tbody').append(tr);
  }
  tr.querySelector('.value').textContent = row.value ?? '';
  tr.querySelector('.count').textContent = row.count ?? '';
  tr.querySelector('.id').textContent = id;
  if (highlight) flash(tr);
}

function rowElement(id) {
  return [...document.querySelectorAll('#rows tbody tr')].find((tr) => tr.dataset.id === id && !tr.classList.contains('deleted'));
}

/** Restarts the highlight even if the row is still flashing from the previous change. */
function flash(tr) {
  tr.classList.remove('changed');
  void tr.offsetWidth; // a reflow, so that removing and adding the class starts the animation again
  tr.classList.add('changed');
}

function showEmpty() {
  $('#empty').hidden = rows.size > 0;
}

// ---- The form: changes go through OData; every page (this one too) sees them through the notification ----

function edit(id) {
  const row = rows.get(id);
  if (!row) return;
  $('#row-id').value = id;
  $('#value').value = row.value ?? '';
  $('#count').value = row.count ?? '';
  $('#form-title').textContent = 'Edit row';
  $('#save').disabled = $('#delete').disabled = false;
  document.querySelectorAll('#rows tr.selected').forEach((tr) => tr.classList.remove('selected'));
  rowElement(id)?.classList.add('selected');
}

function clearForm() {
  $('#row-form').reset();
  $('#row-id').value = '';
  $('#form-title').textContent = 'New row';
  $('#save').disabled = $('#delete').disabled = true;
  document.querySelectorAll('#rows tr.selected').forEach((tr) => tr.classList.remove('selected'));
}

function formRow() {
  const count = $('#count').value;
  return { value: $('#value').value, count: count === '' ? null : Number(count) };
}

async function odata(method, url, body) {
  $('#form-error').textContent = '';
  const response = await fetch(url, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined
  });
  if (!response.ok) {
    const error = await response.json().catch(() => ({}));
    $('#form-error').textContent = `${method} failed: ${error.error?.message || response.status}`;
    return null;
  }
  return response;
}

$('#row-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (await odata('POST', ODATA, formRow())) clearForm();
});
$('#save').addEventListener('click', () => odata('PATCH', `${ODATA}(${$('#row-id').value})`, formRow()));
$('#delete').addEventListener('click', async () => {
  if (await odata('DELETE', `${ODATA}(${$('#row-id').value})`)) clearForm();
});
$('#clear').addEventListener('click', clearForm);

// ---- Chat and system messages: operations of ChatService, called with the reply as a Promise ----

function chatLine(className, text) {
  const item = document.createElement('li');
  item.className = className;
  item.textContent = text;
  $('#chat-log').append(item);
  item.scrollIntoView({ block: 'nearest' });
}

$('#chat-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('#chat-text').value;
  $('#chat-text').value = '';
  chatLine('mine', text);
  try {
    chatLine('reply', await chat.call('message', { text }));
  } catch (error) {
    chatLine('error', `${error.code || 'error'}: ${error.message}`);
  }
});

$('#system-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('#system-text').value;
  $('#system-text').value = '';
  try {
    $('#system-reply').textContent = await chat.call('sendSystemMessage', { text });
  } catch (error) {
    $('#system-reply').textContent = `${error.code || 'error'}: ${error.message}`;
  }
});
