// The kiosk at an event: letters are written here on a phone or tablet, often where the
// network comes and goes. Every letter is first saved on the device (IndexedDB), then
// sent with its idempotency key; a letter that cannot be sent now waits and is sent when
// the network returns — after a reload or a browser restart too. Nothing lost, nothing
// sent twice. Our own code, no third-party libraries.
//
// Each letter keeps the link it was written through and the time it was written: a link
// replaced by a new one still takes the letters written before. A letter refused for good
// (the kiosk closed, the event long over) stays on the device, and a volunteer can save
// every kept letter to a file. A closed kiosk's page ("rescue" mode, no form) still sends
// what the device kept and offers the same file.
(function () {
  'use strict';
  var form = document.getElementById('kiosk-form');
  var rescue = document.getElementById('kiosk-rescue');
  if ((!form && !rescue) || !window.indexedDB || !window.fetch) { return; }
  var endpoint = form ? form.getAttribute('action') : null;
  var pendingEl = document.getElementById('pending');
  var pendingCount = document.getElementById('pending-count');
  var statusEl = document.getElementById('kiosk-status');
  var countEl = document.getElementById('count');
  var exportButton = document.getElementById('kiosk-export');
  var clearButton = document.getElementById('kiosk-clear');
  var messages = document.getElementById('kiosk-messages').dataset;

  // Offline reloads: a service worker answers from the cache when the network is gone,
  // and the page puts itself and its assets in that cache now.
  if (form && 'serviceWorker' in navigator) {
    navigator.serviceWorker.register(form.dataset.sw, { scope: form.dataset.scope }).catch(function () {});
  }
  if (form && window.caches) {
    var assets = [location.pathname];
    document.querySelectorAll('link[rel=stylesheet], script[src]').forEach(function (el) {
      assets.push(el.getAttribute('href') || el.getAttribute('src'));
    });
    caches.open('lysty-kiosk').then(function (cache) { return cache.addAll(assets); }).catch(function () {});
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open('lysty-kiosk', 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore('letters', { keyPath: 'idempotency_key' });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function tx(mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction('letters', mode);
        var result = fn(t.objectStore('letters'));
        t.oncomplete = function () { resolve(result && result.result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }

  function all() { return tx('readonly', function (s) { return s.getAll(); }); }
  function put(letter) { return tx('readwrite', function (s) { return s.put(letter); }); }
  function remove(key) { return tx('readwrite', function (s) { return s.delete(key); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function showPending() {
    return all().then(function (letters) {
      var n = letters.length;
      pendingCount.textContent = String(n);
      pendingEl.hidden = n === 0;
      var refused = letters.filter(function (l) { return l.refused; }).length;
      if (refused > 0) { statusEl.textContent = messages.refused; }
      if (exportButton) { exportButton.hidden = n === 0 || (!refused && !rescue); }
      // Only letters already saved to a file may be removed, and only those that will
      // never be sent from here (refused, or kept by a closed kiosk).
      if (clearButton) { clearButton.hidden = clearable(letters).length === 0; }
      return n;
    });
  }

  function clearable(letters) {
    return letters.filter(function (l) { return l.exported && (l.refused || rescue); });
  }

  // Every letter kept on this device as a plain text file, for a volunteer to hand on.
  function exportLetters() {
    all().then(function (letters) {
      var text = letters.map(function (l, i) {
        return [
          (i + 1) + '. ' + messages.exportTo + ': ' + l.prisoner,
          messages.exportFrom + ': ' + [l.writer_name, l.writer_city].filter(Boolean).join(', '),
          messages.exportWritten + ': ' + (l.written_at || ''),
          '',
          l.body,
          '',
          '----------------------------------------',
          ''
        ].join('\n');
      }).join('\n');
      var blob = new Blob([text], { type: 'text/plain;charset=utf-8' });
      var link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = 'kiosk-letters-' + new Date().toISOString().slice(0, 10) + '.txt';
      document.body.appendChild(link);
      link.click();
      link.remove();
      // Marked as saved, so that a volunteer can then remove them from the tablet.
      return letters.reduce(function (chain, letter) {
        letter.exported = true;
        return chain.then(function () { return put(letter); });
      }, Promise.resolve()).then(showPending);
    });
  }
  if (exportButton) { exportButton.addEventListener('click', exportLetters); }

  // The next writer at the tablet must not find the letters kept for a volunteer: once
  // saved to a file, they are removed on the volunteer's confirmation.
  function clearLetters() {
    if (!window.confirm(messages.clearConfirm)) { return; }
    all().then(function (letters) {
      return clearable(letters).reduce(function (chain, letter) {
        return chain.then(function () { return remove(letter.idempotency_key); });
      }, Promise.resolve());
    }).then(function () {
      statusEl.textContent = messages.cleared;
      return showPending();
    });
  }
  if (clearButton) { clearButton.addEventListener('click', clearLetters); }

  var flushing = false;
  function flush() {
    if (flushing) { return Promise.resolve(); }
    flushing = true;
    return all().then(function (letters) {
      return letters.reduce(function (chain, letter) {
        return chain.then(function () {
          // Refused for good: it waits for a volunteer, not for the network.
          if (letter.refused) { return; }
          return fetch(letter.endpoint || endpoint, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
            body: JSON.stringify(letter),
            credentials: 'omit'
          }).then(function (response) {
            if (response.ok) { return remove(letter.idempotency_key); }
            // Too many at once: every letter waits for the next round, none is lost.
            if (response.status === 429) { throw new Error('later'); }
            // Refused for good (the kiosk was closed, the text is invalid): keep it on the
            // device and say so; a volunteer can copy it out.
            if (response.status >= 400 && response.status < 500) {
              letter.refused = response.status;
              return put(letter);
            }
          });
        });
      }, Promise.resolve());
    }).catch(function () {
      // The network is down: the letters wait.
    }).then(function () {
      flushing = false;
      return showPending();
    });
  }

  if (!form) { showPending().then(flush); return; }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new FormData(form);
    var body = String(data.get('body') || '').trim();
    if (!body) { statusEl.textContent = messages.empty; return; }
    var letter = {
      prisoner: String(data.get('prisoner') || ''),
      body: body,
      writer_name: String(data.get('writer_name') || ''),
      writer_city: String(data.get('writer_city') || ''),
      idempotency_key: newKey(),
      written_at: new Date().toISOString(),
      endpoint: endpoint
    };
    put(letter).then(function () {
      form.reset();
      statusEl.textContent = navigator.onLine ? messages.thanks : messages.saved;
      return flush();
    }).then(refreshCount);
  });

  function refreshCount() {
    if (!navigator.onLine || !countEl) { return; }
    fetch(form.dataset.count, { credentials: 'omit' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { countEl.textContent = String(data.letters); } })
      .catch(function () {});
  }

  window.addEventListener('online', function () { flush().then(refreshCount); });
  setInterval(function () { flush(); refreshCount(); }, 15000);
  showPending().then(flush);
}());
