// Inside the embedded programme: tells the page that frames it how tall it is, so that the
// host's resizer (/integrer/hauteur.js) can fit the frame. Without either, the frame scrolls.
(function () {
  if (window.parent === window) return;
  var last = 0;
  function post() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // Only a height, nothing private: any page that frames this one may read it.
    window.parent.postMessage({ type: 'rassembler:height', height: height }, '*');
  }
  window.addEventListener('load', post);
  if ('ResizeObserver' in window) new ResizeObserver(post).observe(document.documentElement);
  else window.addEventListener('resize', post);
})();
