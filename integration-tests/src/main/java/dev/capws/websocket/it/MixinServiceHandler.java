package dev.capws.websocket.it;

import org.springframework.stereotype.Component;

import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.On;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.mixinservice.IntoHook;
import cds.gen.mixinservice.IntoHookContext;
import cds.gen.mixinservice.Mixed;
import cds.gen.mixinservice.MixedContext;
import cds.gen.mixinservice.MixinIntoHookContext;
import cds.gen.mixinservice.MixinService_;
import cds.gen.mixinservice.NotExposedContext;
import cds.gen.mixinservice.ShoutMixinContext;

@Component
@ServiceName(MixinService_.CDS_NAME)
public class MixinServiceHandler implements EventHandler {

  @On(event = ShoutMixinContext.CDS_NAME)
  public void shout(ShoutMixinContext context) {
    MixedContext event = MixedContext.create();
    event.setData(Mixed.create());
    event.getData().setText(context.getText());
    context.getService().emit(event);
    context.setResult("shouted as " + context.getUserInfo().getName());
  }

  @On(event = NotExposedContext.CDS_NAME)
  public void notExposed(NotExposedContext context) {
    context.setResult("over OData only");
  }

  @On(event = MixinIntoHookContext.CDS_NAME)
  public void intoHook(MixinIntoHookContext context) {
    IntoHookContext event = IntoHookContext.create();
    event.setData(IntoHook.create());
    event.getData().setText("from the mixin");
    context.getService().emit(event);
    context.setResult("mixin called");
  }
}
