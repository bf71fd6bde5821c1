"""Water quality at the monitoring sections (监测断面): registry, readings, GB 3838-2002
classes against targets, exceedances as 水质异常 problems routed upstream (issue 20)."""
