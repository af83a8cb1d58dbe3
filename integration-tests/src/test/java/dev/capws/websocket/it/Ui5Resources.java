package dev.capws.websocket.it;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Test-only: serves UI5 from the npm package the build installs (@openui5/sap.ui.core in package.json) at /ui5/,
 * so the browser loads it from this app: there is no CDN at test time.
 */
@TestConfiguration
class Ui5Resources implements WebMvcConfigurer {

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    registry.addResourceHandler("/ui5/**").addResourceLocations("file:node_modules/@openui5/sap.ui.core/src/");
  }
}
