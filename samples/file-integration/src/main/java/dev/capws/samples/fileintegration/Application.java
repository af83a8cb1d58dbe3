package dev.capws.samples.fileintegration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The tutorial app: {@code TestService} over OData, {@code ChatService} over WebSocket at {@code /ws/chat}. */
@SpringBootApplication
public class Application {

  public static void main(String[] args) {
    SpringApplication.run(Application.class, args);
  }
}
