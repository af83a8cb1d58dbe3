package dev.capws.websocket.configuration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.sap.cds.services.runtime.CdsRuntime;

/** What the plugin needs from Spring Boot: only a graceful stop of the connections with the application. */
@Configuration(proxyBeanMethods = false)
public class WebSocketAutoConfiguration {

  @Bean
  WebSocketLifecycle webSocketLifecycle(CdsRuntime runtime) {
    return new WebSocketLifecycle(runtime);
  }
}
