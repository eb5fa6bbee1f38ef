// The venue form's map: progressive enhancement over the latitude and longitude fields, which
// stay the way to type a position (and the keyboard's way). A click on the map places the pin and
// fills both fields; typing in them moves the pin. Without Leaflet, or if no tile loads, no map.
(function () {
  var panel = document.querySelector('[data-venue-map]');
  var latitude = document.getElementById('venueLatitude');
  var longitude = document.getElementById('venueLongitude');
  if (!panel || !latitude || !longitude || !window.L) return;

  function typed() {
    var lat = parseFloat(latitude.value.replace(',', '.'));
    var lon = parseFloat(longitude.value.replace(',', '.'));
    return isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? [lat, lon] : null;
  }

  panel.hidden = false;
  var start = typed();
  // Without a position yet: metropolitan France.
  // The controls' words, in the page's language, from the panel (data-zoom-in, data-zoom-out,
  // data-pin); French when the page gives none.
  var words = function (name, fallback) {
    return panel.getAttribute('data-' + name) || fallback;
  };
  var map = L.map('carte-lieu', { zoomControl: false }).setView(start || [46.6, 2.4], start ? 16 : 5);
  L.control.zoom({ zoomInTitle: words('zoom-in', 'Zoom avant'), zoomOutTitle: words('zoom-out', 'Zoom arrière') }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  var text = document.createElement('span');
  text.textContent = panel.getAttribute('data-attribution');
  var tiles = L.tileLayer(panel.getAttribute('data-tiles'), { maxZoom: 19, attribution: text.innerHTML });
  var loaded = false;
  tiles.on('tileload', function () {
    loaded = true;
  });
  tiles.on('tileerror', function () {
    if (loaded || panel.hidden) return;
    map.remove();
    panel.hidden = true;
  });
  tiles.addTo(map);

  var pin = null;
  function place(point) {
    if (pin) pin.setLatLng(point);
    else pin = L.marker(point, { keyboard: false, alt: words('pin', 'Position du lieu') }).addTo(map);
  }
  if (start) place(start);
  map.on('click', function (event) {
    var point = event.latlng.wrap();
    place(point);
    latitude.value = point.lat.toFixed(6);
    longitude.value = point.lng.toFixed(6);
  });
  function follow() {
    var point = typed();
    if (point) {
      place(point);
      map.panTo(point);
    }
  }
  latitude.addEventListener('change', follow);
  longitude.addEventListener('change', follow);
})();
