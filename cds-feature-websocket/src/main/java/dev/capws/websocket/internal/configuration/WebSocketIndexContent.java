package dev.capws.websocket.internal.configuration;

import java.io.PrintWriter;

import com.sap.cds.adapter.IndexContentProvider;
import com.sap.cds.adapter.IndexContentProviderFactory;
import com.sap.cds.services.runtime.CdsRuntime;
import com.sap.cds.services.runtime.CdsRuntimeAware;

import dev.capws.websocket.internal.model.WebSocketEndpoint;

/** Lists the WebSocket endpoints, with their events and operations, on CAP's index page at {@code /}. */
public final class WebSocketIndexContent implements IndexContentProviderFactory, CdsRuntimeAware {

  private CdsRuntime runtime;

  @Override
  public void setCdsRuntime(CdsRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public boolean isEnabled() {
    return runtime != null && WebSocketRuntime.of(runtime).active();
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
        for (WebSocketEndpoint endpoint : WebSocketRuntime.of(runtime).catalog().endpoints()) {
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
