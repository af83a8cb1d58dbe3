package dev.capws.websocket.internal.targeting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.sap.cds.reflect.CdsEvent;
import com.sap.cds.reflect.CdsService;

import dev.capws.websocket.api.Operator;
import dev.capws.websocket.internal.targeting.Targeting.Layer;

/** Who receives an event, from annotations (targeting.cds), data, emit headers and the emitting user (E4). */
class TargetingResolverTest {

  private static final CdsService TARGETED = TestClients.MODEL.getService("Targeted");
  private static final CdsService STRICT = TestClients.MODEL.getService("Strict");
  private final TargetingResolver resolver = new TargetingResolver(Operator.OR, Operator.OR);

  private static CdsEvent event(CdsService service, String name) {
    return service.events().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
  }

  private Targeting resolve(String event, Map<?, ?> data, Map<String, Object> headers, String user) {
    return resolver.resolve(TARGETED, event == null ? null : event(TARGETED, event), data, headers, user);
  }

  private static Layer layer(List<String> include, List<String> exclude) {
    return new Layer(new HashSet<>(include), new HashSet<>(exclude));
  }

  @Test
  @DisplayName("E4: an event without annotations, data or headers goes to everyone, with the default operators")
  void nothing() {
    Targeting targeting = resolve("plain", Map.of("text", "t"), Map.of(), "alice");
    assertThat(targeting.hasIncludes()).isFalse();
    assertThat(targeting.hasExcludes()).isFalse();
    assertThat(targeting.includeOperator()).isEqualTo(Operator.OR);
    assertThat(targeting.excludeOperator()).isEqualTo(Operator.OR);
  }

  @Test
  @DisplayName("E4: static values of event annotations (@ws.user, @ws.role.include list, @ws.*.exclude)")
  void staticAnnotations() {
    Targeting targeting = resolve("staticTargets", Map.of("text", "t"), Map.of(), "emitter");
    assertThat(targeting.users()).isEqualTo(layer(List.of("alice"), List.of()));
    assertThat(targeting.roles()).isEqualTo(layer(List.of("admin", "auditor"), List.of()));
    assertThat(targeting.contexts()).isEqualTo(layer(List.of(), List.of("archive")));
    assertThat(targeting.identifiers()).isEqualTo(layer(List.of(), List.of("c-1")));
  }

  @Test
  @DisplayName("E4: the other annotation spellings (@websocket.*, @ws.broadcast.*, @websocket.broadcast.*)")
  void otherSpellings() {
    Targeting targeting = resolve("otherSpellings", null, Map.of(), null);
    assertThat(targeting.contexts()).isEqualTo(layer(List.of("lobby"), List.of()));
    assertThat(targeting.users()).isEqualTo(layer(List.of(), List.of("mallory")));
    assertThat(targeting.roles()).isEqualTo(layer(List.of("viewer"), List.of()));
  }

  @Test
  @DisplayName("E4 E7: annotated elements take their values from the data, single and many; @ws.ignore'd ones do not")
  void fromData() {
    Map<String, Object> data = new HashMap<>();
    data.put("owner", "olga");
    data.put("rooms", List.of("r1", "r2"));
    data.put("sender", "tab-7");
    data.put("hiddenRole", "guest");
    data.put("ignored", "ivan");
    data.put("text", "hello");
    Targeting targeting = resolve("fromData", data, Map.of(), "emitter");
    assertThat(targeting.users()).isEqualTo(layer(List.of("olga"), List.of()));
    assertThat(targeting.contexts()).isEqualTo(layer(List.of("r1", "r2"), List.of()));
    assertThat(targeting.identifiers()).isEqualTo(layer(List.of(), List.of("tab-7")));
    assertThat(targeting.roles()).isEqualTo(layer(List.of(), List.of("guest")));
  }

  @Test
  @DisplayName("E4: element values that are missing or null add nothing; non-text values are written as JSON would")
  void dataValues() {
    Map<String, Object> data = new HashMap<>();
    data.put("owner", null);
    data.put("rooms", List.of(7, LocalDate.of(2024, 5, 1)));
    Targeting targeting = resolve("fromData", data, Map.of(), null);
    assertThat(targeting.users()).isEqualTo(Layer.NONE);
    assertThat(targeting.identifiers()).isEqualTo(Layer.NONE);
    assertThat(targeting.contexts().include()).containsExactlyInAnyOrder("7", "2024-05-01");
  }

  @Test
  @DisplayName("E4: emit headers in the Node spellings: user, users, wsUser.include, wsUsers, userInclude, ...")
  void headerSpellings() {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("user", "u1");
    headers.put("users", List.of("u2", "u3"));
    headers.put("wsUser.include", "u4");
    headers.put("wsUsers", List.of("u5"));
    headers.put("userInclude", "u6");
    headers.put("wsUserExclude", "x1");
    headers.put("user.exclude", List.of("x2"));
    headers.put("contextExclude", "c-out");
    headers.put("wsContexts", List.of("c1"));
    headers.put("role", "r1");
    headers.put("wsRoleExclude", "r-out");
    headers.put("identifierExclude", "tab-1");
    headers.put("wsIdentifier", "tab-2");
    Targeting targeting = resolve("plain", null, headers, null);
    assertThat(targeting.users()).isEqualTo(layer(List.of("u1", "u2", "u3", "u4", "u5", "u6"), List.of("x1", "x2")));
    assertThat(targeting.contexts()).isEqualTo(layer(List.of("c1"), List.of("c-out")));
    assertThat(targeting.roles()).isEqualTo(layer(List.of("r1"), List.of("r-out")));
    assertThat(targeting.identifiers()).isEqualTo(layer(List.of("tab-2"), List.of("tab-1")));
  }

  @Test
  @DisplayName("E4: nested header objects ({user: {include: [..], exclude: ..}}, {wsContext: {exclude: ..}})")
  void nestedHeaders() {
    Map<String, Object> headers = Map.of("user", Map.of("include", List.of("a", "b"), "exclude", "c"),
        "wsContext", Map.of("exclude", List.of("quiet")));
    Targeting targeting = resolve("plain", null, headers, null);
    assertThat(targeting.users()).isEqualTo(layer(List.of("a", "b"), List.of("c")));
    assertThat(targeting.contexts()).isEqualTo(layer(List.of(), List.of("quiet")));
  }

  @Test
  @DisplayName("E4: header numbers read from x-ws-* headers (5.0) name the context \"5\", as in JavaScript")
  void numericHeaders() {
    Targeting targeting = resolve("plain", null, Map.of("context", 5.0, "identifierExclude", 2.5), null);
    assertThat(targeting.contexts().include()).containsExactly("5");
    assertThat(targeting.identifiers().exclude()).containsExactly("2.5");
  }

  @Test
  @DisplayName("E4: annotations, data and headers add up")
  void sourcesAddUp() {
    Targeting targeting = resolve("staticTargets", Map.of("text", "t"), Map.of("user", "zoe", "roleExclude", "x"),
        null);
    assertThat(targeting.users().include()).containsExactlyInAnyOrder("alice", "zoe");
    assertThat(targeting.roles()).isEqualTo(layer(List.of("admin", "auditor"), List.of("x")));
  }

  @Test
  @DisplayName("E4: the current user by annotation: @ws.user 'includeCurrent' / 'excludeCurrent', @ws.currentUser")
  void currentUserByAnnotation() {
    assertThat(resolve("toMe", null, Map.of(), "alice").users()).isEqualTo(layer(List.of("alice"), List.of()));
    assertThat(resolve("notToMe", null, Map.of(), "alice").users()).isEqualTo(layer(List.of(), List.of("alice")));
    assertThat(resolve("currentUserFlag", null, Map.of(), "alice").users())
        .isEqualTo(layer(List.of("alice"), List.of()));
    // the keywords are not user names
    assertThat(resolve("toMe", null, Map.of(), null).users()).isEqualTo(Layer.NONE);
  }

  @Test
  @DisplayName("E4: the current user by element: @ws.currentUser.exclude applies when the data's value is true")
  void currentUserByData() {
    assertThat(resolve("currentUserFromData", Map.of("skipMe", true), Map.of(), "alice").users())
        .isEqualTo(layer(List.of(), List.of("alice")));
    assertThat(resolve("currentUserFromData", Map.of("skipMe", false), Map.of(), "alice").users())
        .isEqualTo(Layer.NONE);
  }

  @Test
  @DisplayName("E4: the current user by header: currentUser, wsCurrentUser.include, currentUserExclude, nested")
  void currentUserByHeader() {
    assertThat(resolve("plain", null, Map.of("currentUser", true), "alice").users())
        .isEqualTo(layer(List.of("alice"), List.of()));
    assertThat(resolve("plain", null, Map.of("wsCurrentUser.include", true), "alice").users())
        .isEqualTo(layer(List.of("alice"), List.of()));
    assertThat(resolve("plain", null, Map.of("currentUserExclude", true), "alice").users())
        .isEqualTo(layer(List.of(), List.of("alice")));
    assertThat(resolve("plain", null, Map.of("currentUser", Map.of("exclude", true)), "alice").users())
        .isEqualTo(layer(List.of(), List.of("alice")));
    assertThat(resolve("plain", null, Map.of("currentUser", false), "alice").users()).isEqualTo(Layer.NONE);
    assertThat(resolve("plain", null, Map.of("currentUserExclude", true), null).users()).isEqualTo(Layer.NONE);
  }

  @Test
  @DisplayName("E4: operators: the constructor's defaults, then service, then event annotations, then headers")
  void operators() {
    TargetingResolver andByDefault = new TargetingResolver(Operator.AND, Operator.AND);
    Targeting defaults = andByDefault.resolve(TARGETED, event(TARGETED, "plain"), null, Map.of(), null);
    assertThat(defaults.includeOperator()).isEqualTo(Operator.AND);
    assertThat(defaults.excludeOperator()).isEqualTo(Operator.AND);

    Targeting event = resolve("allMustMatch", null, Map.of(), null);
    assertThat(event.includeOperator()).isEqualTo(Operator.AND);
    assertThat(event.excludeOperator()).isEqualTo(Operator.AND);

    Targeting service = resolver.resolve(STRICT, event(STRICT, "strictEvent"), null, Map.of(), null);
    assertThat(service.includeOperator()).isEqualTo(Operator.AND);
    assertThat(service.excludeOperator()).as("@websocket.operator.exclude on the service").isEqualTo(Operator.AND);

    Targeting eventOverService = resolver.resolve(STRICT, event(STRICT, "lenient"), null, Map.of(), null);
    assertThat(eventOverService.includeOperator()).isEqualTo(Operator.OR);
    assertThat(eventOverService.excludeOperator()).isEqualTo(Operator.AND);

    Targeting undeclared = resolver.resolve(STRICT, null, null, Map.of(), null);
    assertThat(undeclared.includeOperator()).as("an undeclared event still has its service's").isEqualTo(Operator.AND);

    Targeting headers = resolve("allMustMatch", null, Map.of("operatorInclude", "or", "excludeOperator", "OR"), null);
    assertThat(headers.includeOperator()).isEqualTo(Operator.OR);
    assertThat(headers.excludeOperator()).isEqualTo(Operator.OR);

    Targeting spelled = resolve("plain", null, Map.of("includeOperator", "and", "operatorExclude", "and"), null);
    assertThat(spelled.includeOperator()).isEqualTo(Operator.AND);
    assertThat(spelled.excludeOperator()).isEqualTo(Operator.AND);

    Targeting nonsense = resolve("allMustMatch", null, Map.of("operatorInclude", "xor"), null);
    assertThat(nonsense.includeOperator()).as("an unreadable header falls back to the default").isEqualTo(Operator.OR);
  }

  @Test
  @DisplayName("E4: an undeclared event is targeted by headers and the current user only")
  void undeclaredEvent() {
    Targeting targeting = resolver.resolve(TARGETED, null, Map.of("owner", "olga"), Map.of("wsRole", "admin",
        "currentUserExclude", true), "alice");
    assertThat(targeting.users()).isEqualTo(layer(List.of(), List.of("alice")));
    assertThat(targeting.roles()).isEqualTo(layer(List.of("admin"), List.of()));
    assertThat(targeting.contexts()).isEqualTo(Layer.NONE);
  }
}
