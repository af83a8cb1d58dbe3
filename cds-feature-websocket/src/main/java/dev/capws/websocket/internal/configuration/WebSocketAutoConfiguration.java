package dev.capws.websocket.internal.configuration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.embedded.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import com.sap.cds.services.runtime.CdsRuntime;

import dev.capws.websocket.internal.metrics.WebSocketHealth;
import dev.capws.websocket.internal.metrics.WebSocketMeters;

/**
 * What the plugin needs from Spring Boot: a graceful stop of the connections with the application; meters and a
 * health indicator when Micrometer and Actuator are there; and, if asked for, smaller Tomcat socket buffers.
 */
@Configuration(proxyBeanMethods = false)
public class WebSocketAutoConfiguration {

  static final String READ_BUFFER = "cds.websocket.tomcat.read-buffer-size";
  static final String WRITE_BUFFER = "cds.websocket.tomcat.write-buffer-size";

  @Bean
  WebSocketLifecycle webSocketLifecycle(CdsRuntime runtime) {
    return new WebSocketLifecycle(runtime);
  }

  /** The meters under {@code cds.websocket.}, when the application has Micrometer. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class Meters {

    @Bean
    WebSocketMeters webSocketMeters(CdsRuntime runtime) {
      return new WebSocketMeters(WebSocketRuntime.of(runtime));
    }
  }

  /** Actuator's {@code webSocket} health, when the application has Actuator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static class HealthCheck {

    @Bean
    WebSocketHealth webSocketHealthIndicator(CdsRuntime runtime) {
      return new WebSocketHealth(WebSocketRuntime.of(runtime));
    }
  }

  /**
   * Tomcat gives every connection a read and a write buffer of 8 KiB, and an open WebSocket connection keeps both
   * for its whole life: most of what an idle client costs. These settings shrink them for the whole connector
   * (HTTP requests too: a smaller write buffer means more system calls for large responses and for big batches of
   * frames). Off unless set.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.apache.catalina.connector.Connector")
  @ConditionalOnProperty(prefix = "cds.websocket.tomcat", name = { "read-buffer-size", "write-buffer-size" },
      matchIfMissing = false)
  static class TomcatBuffers {

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> webSocketTomcatBuffers(Environment env) {
      String read = env.getProperty(READ_BUFFER);
      String write = env.getProperty(WRITE_BUFFER);
      return factory -> factory.addConnectorCustomizers(connector -> {
        connector.setProperty("socket.appReadBufSize", read);
        connector.setProperty("socket.appWriteBufSize", write);
      });
    }
  }
}
