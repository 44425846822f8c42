// The members' map: markers from the page's JSON block; the list below works without it.
(function () {
  "use strict";
  function start() {
    var holder = document.getElementById("map");
    var source = document.getElementById("directory-map-data");
    if (!holder || !source || !window.L) { return; }
    var members = JSON.parse(source.textContent);
    holder.hidden = false;
    var map = window.L.map(holder, { scrollWheelZoom: false }).setView([43.6, 4.5], 6);
    if (holder.dataset.tiles) {
      window.L.tileLayer(holder.dataset.tiles, {
        attribution: holder.dataset.attribution || "", maxZoom: 18
      }).addTo(map);
    }
    var bounds = [];
    members.forEach(function (member) {
      var box = document.createElement("div");
      var link = document.createElement("a");
      link.href = member.url;
      link.textContent = member.name;
      box.appendChild(link);
      if (member.city) {
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(member.city));
      }
      window.L.marker([member.lat, member.lon], { title: member.name, alt: member.name })
        .bindPopup(box).addTo(map);
      bounds.push([member.lat, member.lon]);
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 11 }); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
}());
