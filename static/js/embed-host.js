// On a site that shows the embedded programme: fits each of its frames to the height its page
// reports (postMessage { type: 'rassembler:height', height }). Optional: without it the frame
// keeps its own height and scrolls.
(function () {
  var script = document.currentScript;
  var origin = script ? new URL(script.src).origin : null;
  window.addEventListener('message', function (event) {
    if (event.origin !== origin || !event.data || event.data.type !== 'rassembler:height') return;
    var height = Number(event.data.height);
    if (!isFinite(height) || height <= 0) return;
    var frames = document.getElementsByTagName('iframe');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) frames[i].style.height = Math.min(Math.ceil(height), 100000) + 'px';
    }
  });
})();
