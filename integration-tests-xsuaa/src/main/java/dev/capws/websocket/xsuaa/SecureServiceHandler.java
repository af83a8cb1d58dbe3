package dev.capws.websocket.xsuaa;

import org.springframework.stereotype.Component;

import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.On;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.secureservice.MeContext;
import cds.gen.secureservice.Note;
import cds.gen.secureservice.NoteContext;
import cds.gen.secureservice.SecureService_;
import cds.gen.secureservice.TellContext;

@Component
@ServiceName(SecureService_.CDS_NAME)
public class SecureServiceHandler implements EventHandler {

  @On(event = MeContext.CDS_NAME)
  public void me(MeContext context) {
    context.setResult(context.getUserInfo().getName() + "@" + context.getUserInfo().getTenant());
  }

  @On(event = TellContext.CDS_NAME)
  public void tell(TellContext context) {
    NoteContext event = NoteContext.create();
    event.setData(Note.create());
    event.getData().setText(context.getText());
    context.getService().emit(event);
    context.setCompleted();
  }
}
