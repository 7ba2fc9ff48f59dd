"""Maps drawn on the server as SVG, with no tile server: the report's map of incidents over the
agreement's territory and the admin boundaries, and the map a point of a new place is picked on."""
