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
          String path = escape(contextPath + endpoint.path());
          writer.printf("                    <li>%n                        <code data-ws-path=\"%s\">%s</code> - %s"
              + "<br><small>events: %s; operations: %s</small>%n                    </li>%n", path, path,
              escape(endpoint.serviceName()), escape(String.join(", ", endpoint.events().keySet())),
              escape(String.join(", ", endpoint.operations().keySet())));
        }
        writer.print("                </ul>\n");
        // The page does not know the host it is reached by (a proxy may stand in between); the browser does, and
        // turns each path into the URL a client connects to.
        writer.print("                <script>document.querySelectorAll('[data-ws-path]').forEach(e => e.textContent ="
            + " (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + e.dataset.wsPath);</script>\n");
      }
    };
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
