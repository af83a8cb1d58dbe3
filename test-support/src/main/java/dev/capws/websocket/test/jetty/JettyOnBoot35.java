package dev.capws.websocket.test.jetty;

import java.util.Arrays;

import org.eclipse.jetty.ee10.webapp.AbstractConfiguration;
import org.eclipse.jetty.ee10.webapp.Configuration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.MimeTypes;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.web.embedded.jetty.JettyServerCustomizer;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.server.MimeMappings;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;

/**
 * For the tests of the root pom's {@code jetty} profile (docs/containers.md): lets Spring Boot 3.5 start Jetty 12.1,
 * which it does not support. Boot 3.5's {@link JettyServletWebServerFactory} always adds a configuration that casts the
 * context's mime types to {@code MimeTypes.Wrapper}, a class Jetty 12.1 no longer has (NoClassDefFoundError at
 * startup). This factory puts Boot's mime mappings in Jetty 12.1's way instead; everything else is Boot's. Inert
 * on Tomcat, Undertow and Jetty 12.0 (which has the class).
 */
@AutoConfiguration(before = ServletWebServerFactoryAutoConfiguration.class)
@ConditionalOnClass(name = "org.eclipse.jetty.ee10.webapp.WebAppContext")
@ConditionalOnMissingClass("org.eclipse.jetty.http.MimeTypes$Wrapper")
public class JettyOnBoot35 {

  /** As Boot's own bean (ServletWebServerFactoryConfiguration.EmbeddedJetty), which then backs off. */
  @Bean
  JettyServletWebServerFactory jettyServletWebServerFactory(ObjectProvider<JettyServerCustomizer> customizers) {
    JettyServletWebServerFactory factory = new Factory();
    factory.getServerCustomizers().addAll(customizers.orderedStream().toList());
    return factory;
  }

  static final class Factory extends JettyServletWebServerFactory {

    @Override
    protected Configuration[] getWebAppContextConfigurations(WebAppContext context,
        ServletContextInitializer... initializers) {
      Configuration[] configurations = super.getWebAppContextConfigurations(context, initializers);
      // Boot 3.5.9 adds, in this order: initializers, error pages, mime types (the one that fails), listeners, ...
      Configuration mimeTypes = configurations[2];
      if (!mimeTypes.getClass().getName().startsWith(JettyServletWebServerFactory.class.getName() + "$")) {
        throw new IllegalStateException("Not the Spring Boot 3.5 this was written for: " + Arrays.asList(configurations));
      }
      configurations[2] = new AbstractConfiguration(new AbstractConfiguration.Builder()) {
        @Override
        public void configure(WebAppContext webApp) {
          MimeTypes.Mutable types = webApp.getMimeTypes();
          for (MimeMappings.Mapping mapping : getMimeMappings()) {
            types.addMimeMapping(mapping.getExtension(), mapping.getMimeType());
          }
        }
      };
      return configurations;
    }
  }
}
