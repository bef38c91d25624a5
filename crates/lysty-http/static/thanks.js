// The thanks page: a button that copies the letter's link, and one that shares the
// person's page (the phone's own share sheet, or a copy where there is none). Without
// JavaScript the link and the page are there as text and the buttons stay hidden.
(function () {
  'use strict';
  function copied(button, text) {
    if (!navigator.clipboard) { return; }
    navigator.clipboard.writeText(text).then(function () {
      button.textContent = button.dataset.done;
    }).catch(function () {});
  }
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener('click', function () { copied(button, button.dataset.copy); });
  });
  document.querySelectorAll('[data-share]').forEach(function (button) {
    if (!navigator.share && !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      var url = button.dataset.share;
      if (navigator.share) {
        navigator.share({ title: button.dataset.title, url: url }).catch(function () {});
      } else {
        copied(button, url);
      }
    });
  });
}());
