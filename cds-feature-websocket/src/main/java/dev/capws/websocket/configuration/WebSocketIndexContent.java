package dev.capws.websocket.configuration;

import java.io.PrintWriter;

import com.sap.cds.adapter.IndexContentProvider;
import com.sap.cds.adapter.IndexContentProviderFactory;
import com.sap.cds.services.runtime.CdsRuntime;
import com.sap.cds.services.runtime.CdsRuntimeAware;

import dev.capws.websocket.model.WebSocketEndpoint;

/** Lists the WebSocket endpoints, with their events and operations, on CAP's index page at {@code /}. */
public final class WebSocketIndexContent implements IndexContentProviderFactory, CdsRuntimeAware {

  private WebSocketFeature feature;

  @Override
  public void setCdsRuntime(CdsRuntime runtime) {
    this.feature = WebSocketFeature.of(runtime);
  }

  @Override
  public boolean isEnabled() {
    return feature != null && feature.active();
  }

  @Override
  public IndexContentProvider create() {
    return new IndexContentProvider() {
      @Override
      public String getSectionTitle() {
        return "WebSocket Endpoints";
      }

      @Override
      public void writeContent(PrintWriter writer, String contextPath) {
        writer.print("                <ul>\n");
        for (WebSocketEndpoint endpoint : feature.catalog().endpoints()) {
          String url = contextPath + endpoint.path();
          writer.printf("                    <li>%n                        <span>ws:%s</span> - %s"
              + "<br><small>events: %s; operations: %s</small>%n                    </li>%n", escape(url),
              escape(endpoint.serviceName()), escape(String.join(", ", endpoint.events().keySet())),
              escape(String.join(", ", endpoint.operations().keySet())));
        }
        writer.print("                </ul>\n");
      }
    };
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
