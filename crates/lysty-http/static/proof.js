// The proof of work a campaign asks of each letter while it turns away automated ones
// (`limits.proof_of_work`): ALTCHA's protocol, solved with WebCrypto while the writer
// writes. The letter form carries the server's challenge in the hidden `proof` field;
// the answer replaces it before the letter is sent. Nothing leaves the page but the answer.
(function () {
  'use strict';
  var field = document.querySelector('input[name="proof"][data-challenge]');
  if (!field || !window.crypto || !crypto.subtle) return;
  var form = field.form;
  var status = document.getElementById('proof-status');
  var challenge = JSON.parse(field.getAttribute('data-challenge'));
  var p = challenge.parameters;

  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) {
      return b.toString(16).padStart(2, '0');
    }).join('');
  }
  function unhex(text) {
    return new Uint8Array(text.match(/../g).map(function (h) { return parseInt(h, 16); }));
  }
  var nonce = unhex(p.nonce);
  var salt = unhex(p.salt);

  // The key for one counter: PBKDF2 over the nonce followed by the counter (4 bytes, big-endian).
  function derive(counter) {
    var password = new Uint8Array(nonce.length + 4);
    password.set(nonce);
    new DataView(password.buffer).setUint32(nonce.length, counter);
    return crypto.subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits'])
      .then(function (key) {
        return crypto.subtle.deriveBits(
          { name: 'PBKDF2', hash: 'SHA-256', salt: salt, iterations: p.cost },
          key, p.keyLength * 8);
      })
      .then(function (bits) { return hex(new Uint8Array(bits)); });
  }

  // Eight counters at a time: WebCrypto works off the page's thread.
  function search(base) {
    var tries = [];
    for (var i = 0; i < 8; i++) tries.push(derive(base + i));
    return Promise.all(tries).then(function (keys) {
      for (var j = 0; j < keys.length; j++) {
        if (keys[j].indexOf(p.keyPrefix) === 0) return { counter: base + j, derivedKey: keys[j] };
      }
      return search(base + 8);
    });
  }

  var solved = search(0).then(function (solution) {
    field.value = btoa(JSON.stringify({ challenge: challenge, solution: solution }));
  });

  form.addEventListener('submit', function (event) {
    // "Check my letter" stores nothing and needs no proof.
    if (field.value || (event.submitter && event.submitter.name === 'check')) return;
    event.preventDefault();
    var submitter = event.submitter;
    if (status) {
      status.hidden = false;
      status.textContent = status.getAttribute('data-working');
    }
    solved.then(function () {
      if (status) status.hidden = true;
      if (submitter && submitter.form === form) form.requestSubmit(submitter);
      else form.requestSubmit();
    });
  });
})();
