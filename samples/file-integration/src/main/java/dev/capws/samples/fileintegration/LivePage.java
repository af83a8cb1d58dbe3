package dev.capws.samples.fileintegration;

import java.io.PrintWriter;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import com.sap.cds.adapter.IndexContentProvider;
import com.sap.cds.adapter.IndexContentProviderFactory;

/**
 * The live page (static/app/index.html) at {@code /app/}: Spring Boot serves static files by their names only, so
 * the folder URL is forwarded to its index.html, and {@code /app} is redirected so that the page's relative links
 * resolve.
 */
@Configuration
public class LivePage implements WebMvcConfigurer {

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addRedirectViewController("/app", "/app/");
    registry.addViewController("/app/").setViewName("forward:/app/index.html");
  }

  /**
   * A link to the page on CAP's index page at {@code /}. CAP lists only pages of an {@code app} folder in the working
   * directory, which a packaged jar does not have. Registered in META-INF/services.
   */
  public static final class IndexLink implements IndexContentProviderFactory {

    @Override
    public boolean isEnabled() {
      return true;
    }

    @Override
    public IndexContentProvider create() {
      return new IndexContentProvider() {
        @Override
        public String getSectionTitle() {
          return "Live Page";
        }

        @Override
        public void writeContent(PrintWriter writer, String contextPath) {
          writer.printf("                <ul>%n                    <li>%n                        <a href=\"%s/app/\">"
              + "<span>/app/</span></a> - Data rows and chat, live over WebSocket%n                    </li>%n"
              + "                </ul>%n", contextPath);
        }
      };
    }
  }
}
