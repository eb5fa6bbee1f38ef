// The programme's map: progressive enhancement over the list on the same page. Reads the markers
// from the JSON island, shows the map only once Leaflet is there, and gives up (the list stays)
// when no tile can be loaded. Markers are Leaflet's focusable images: Tab reaches each one, Enter
// opens its popup with the link to the event.
(function () {
  var island = document.getElementById('carte-donnees');
  var panel = document.querySelector('[data-map]');
  if (!island || !panel || !window.L) return;
  var data = JSON.parse(island.textContent);
  if (data.markers.length === 0) return;

  var layout = panel.parentNode;
  panel.hidden = false;
  layout.classList.add('has-map');
  // The controls' words, in the page's language, from the panel (data-zoom-in, data-zoom-out,
  // data-close-popup); French when the page gives none.
  var words = function (name, fallback) {
    return panel.getAttribute('data-' + name) || fallback;
  };
  var map = L.map('carte', { zoomControl: false });
  L.control.zoom({ zoomInTitle: words('zoom-in', 'Zoom avant'), zoomOutTitle: words('zoom-out', 'Zoom arrière') }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');

  var tiles = L.tileLayer(data.tileUrl, { maxZoom: 19 });
  // The attribution is configured as plain text: escaped before Leaflet inserts it as HTML.
  var text = document.createElement('span');
  text.textContent = data.attribution;
  tiles.options.attribution = text.innerHTML;
  var loaded = false;
  tiles.on('tileload', function () {
    loaded = true;
  });
  tiles.on('tileerror', function () {
    if (loaded || panel.hidden) return;
    map.remove();
    panel.hidden = true;
    layout.classList.remove('has-map');
    document.querySelector('[data-map-failed]').hidden = false;
  });
  tiles.addTo(map);

  var bounds = [];
  data.markers.forEach(function (m) {
    var popup = document.createElement('div');
    var link = document.createElement('a');
    link.href = m.href;
    link.textContent = m.title;
    var when = document.createElement('p');
    when.textContent = m.when + (m.place ? ' · ' + m.place : '');
    popup.appendChild(link);
    popup.appendChild(when);
    L.marker([m.latitude, m.longitude], { title: m.title, alt: m.title }).bindPopup(popup).addTo(map);
    bounds.push([m.latitude, m.longitude]);
  });
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 });
  // Leaflet's close button speaks English.
  map.on('popupopen', function (event) {
    var close = event.popup.getElement().querySelector('.leaflet-popup-close-button');
    if (close) close.setAttribute('aria-label', words('close-popup', 'Fermer la fiche'));
  });
})();
