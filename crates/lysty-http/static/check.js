// The letter form's hints while typing: the same checker as "Check my letter", asked a
// moment after the writer stops typing. Nothing is stored; without JavaScript the button
// does the same. The kinds shown travel with the letter, so the moderator knows.
(function () {
  'use strict';
  var form = document.querySelector('form[data-prisoner]');
  var body = document.getElementById('body');
  var live = document.getElementById('live-check');
  var warned = document.getElementById('warned');
  if (!form || !body || !live || !window.fetch) { return; }
  var prisoner = form.getAttribute('data-prisoner');
  var timer = null;
  var asked = 0;

  function show(answer) {
    while (live.firstChild) { live.removeChild(live.firstChild); }
    if (!answer.findings || answer.findings.length === 0) {
      live.hidden = true;
      return;
    }
    var list = document.createElement('ul');
    var kinds = [];
    answer.findings.forEach(function (f) {
      kinds.push(f.kind);
      var item = document.createElement('li');
      item.textContent = f.advice;
      var words = f.passages.map(function (p) {
        return new TextDecoder().decode(new TextEncoder().encode(body.value).slice(p.start, p.end));
      }).filter(function (w, i, all) { return w && all.indexOf(w) === i; });
      if (words.length) {
        var found = document.createElement('span');
        found.className = 'live-check-words';
        found.textContent = ' «' + words.join('», «') + '»';
        item.appendChild(found);
      }
      list.appendChild(item);
    });
    live.appendChild(list);
    live.hidden = false;
    var merged = (warned.value ? warned.value.split(',') : []).concat(kinds);
    warned.value = merged.filter(function (k, i) { return k && merged.indexOf(k) === i; }).join(',');
  }

  function check() {
    var text = body.value;
    if (text.trim().length < 20) { live.hidden = true; return; }
    var mine = ++asked;
    fetch('/api/v1/letters/check', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': document.documentElement.lang },
      body: JSON.stringify({ prisoner: prisoner, body: text })
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) { if (answer && mine === asked) { show(answer); } })
      .catch(function () { /* offline or refused: the button still works */ });
  }

  body.addEventListener('input', function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(check, 1200);
  });
}());
