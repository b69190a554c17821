#include "web/web.h"
namespace sotay::server::web {
HttpResponse ExportPage(WebRequest& r) { return ErrorPage(r.viewer, 404, "x"); }
HttpResponse ExportFile(WebRequest& r) { return ErrorPage(r.viewer, 404, "x"); }
}
