package dev.capws.websocket.xsuaa;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A CAP app secured with XSUAA, as CAP Java sets it up when the library and an xsuaa binding are there. */
@SpringBootApplication
public class XsuaaTestApplication {

  public static void main(String[] args) {
    SpringApplication.run(XsuaaTestApplication.class, args);
  }
}
