package dev.capws.websocket.internal.targeting;

import static dev.capws.websocket.internal.targeting.TestClients.TARGETED;
import static dev.capws.websocket.internal.targeting.TestClients.connection;
import static dev.capws.websocket.internal.targeting.TestClients.exclude;
import static dev.capws.websocket.internal.targeting.TestClients.include;
import static dev.capws.websocket.internal.targeting.TestClients.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.capws.websocket.api.Operator;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.targeting.Targeting.Layer;

/** Selection of the clients of one service in one tenant through the group's indexes (E4). */
class ClientGroupTest {

  private final ClientGroup group = new ClientGroup();
  private final Connection alice = connection(TARGETED, user("alice", "t1", "admin"), "a-1", "room1");
  private final Connection bob = connection(TARGETED, user("bob", "t1", "member"), "b-1", "room1", "room2");
  private final Connection carol = connection(TARGETED, user("carol", "t1", "admin", "member"), "c-1", "room2");
  private final Connection dave = connection(TARGETED, user("dave", "t1"), null);
  private final Map<Connection, String> names = Map.of(alice, "alice", bob, "bob", carol, "carol", dave, "dave");

  ClientGroupTest() {
    List.of(alice, bob, carol, dave).forEach(group::add);
  }

  /** The names of the selected clients; iterates the selection and checks its size agrees. */
  private List<String> select(Layer users, Layer roles, Layer contexts, Layer identifiers, Operator include,
      Operator exclude) {
    Collection<Connection> selected = group.select(new Targeting(users, roles, contexts, identifiers, include,
        exclude));
    List<String> result = new ArrayList<>();
    selected.forEach(c -> result.add(names.get(c)));
    assertThat(selected).hasSize(result.size());
    return result.stream().sorted().collect(Collectors.toList());
  }

  private List<String> select(Layer users, Layer roles, Layer contexts, Layer identifiers) {
    return select(users, roles, contexts, identifiers, Operator.OR, Operator.OR);
  }

  @Test
  @DisplayName("E4: an empty targeting selects every client")
  void emptyIsEveryone() {
    assertThat(select(Layer.NONE, Layer.NONE, Layer.NONE, Layer.NONE)).containsExactly("alice", "bob", "carol",
        "dave");
  }

  @Test
  @DisplayName("E4: one layer selects the clients matching any of its values")
  void singleLayers() {
    assertThat(select(include("alice", "carol"), Layer.NONE, Layer.NONE, Layer.NONE)).containsExactly("alice",
        "carol");
    assertThat(select(Layer.NONE, include("member"), Layer.NONE, Layer.NONE)).containsExactly("bob", "carol");
    assertThat(select(Layer.NONE, Layer.NONE, include("room2"), Layer.NONE)).containsExactly("bob", "carol");
    assertThat(select(Layer.NONE, Layer.NONE, Layer.NONE, include("a-1", "c-1"))).containsExactly("alice", "carol");
  }

  @Test
  @DisplayName("E4: include layers combine with 'or': a client matching any layer is selected")
  void includeOr() {
    assertThat(select(include("dave"), include("admin"), Layer.NONE, Layer.NONE, Operator.OR, Operator.OR))
        .containsExactly("alice", "carol", "dave");
    assertThat(select(include("alice"), Layer.NONE, include("room2"), Layer.NONE, Operator.OR, Operator.OR))
        .containsExactly("alice", "bob", "carol");
  }

  @Test
  @DisplayName("E4: include layers combine with 'and': only clients matching every layer are selected")
  void includeAnd() {
    assertThat(select(Layer.NONE, include("admin"), include("room2"), Layer.NONE, Operator.AND, Operator.OR))
        .containsExactly("carol");
    assertThat(select(include("alice", "bob", "carol"), include("member"), include("room1"), Layer.NONE,
        Operator.AND, Operator.OR)).containsExactly("bob");
    assertThat(select(include("alice"), Layer.NONE, include("room2"), Layer.NONE, Operator.AND, Operator.OR))
        .isEmpty();
  }

  @Test
  @DisplayName("E4: exclude layers combine with 'or': a client matching any exclude layer is left out")
  void excludeOr() {
    assertThat(select(Layer.NONE, exclude("member"), Layer.NONE, exclude("a-1"), Operator.OR, Operator.OR))
        .containsExactly("dave");
  }

  @Test
  @DisplayName("E4: exclude layers combine with 'and': only a client matching every exclude layer is left out")
  void excludeAnd() {
    assertThat(select(Layer.NONE, exclude("admin"), exclude("room2"), Layer.NONE, Operator.OR, Operator.AND))
        .containsExactly("alice", "bob", "dave");
    assertThat(select(include("alice", "bob", "carol", "dave"), exclude("admin"), exclude("room2"), Layer.NONE,
        Operator.OR, Operator.AND)).containsExactly("alice", "bob", "dave");
  }

  @Test
  @DisplayName("E6 A2: an HTTP caller's excludes only ever add to the exclusion, also under 'and': an unknown context "
      + "does not cancel the event's own exclusion")
  void callerExcludesOnlyNarrow() {
    Targeting annotated = new Targeting(Layer.NONE, exclude("admin"), Layer.NONE, Layer.NONE, Operator.OR,
        Operator.AND);
    Targeting unknownContext = new Targeting(Layer.NONE, Layer.NONE, exclude("nowhere"), Layer.NONE, Operator.OR,
        Operator.AND);
    Targeting withCaller = new Targeting(annotated.users(), annotated.roles(), annotated.contexts(),
        annotated.identifiers(), Operator.OR, Operator.AND, unknownContext);
    assertThat(names(group.select(withCaller))).containsExactly("bob", "dave");
    Targeting callerOwn = new Targeting(Layer.NONE, Layer.NONE, exclude("room2"), exclude("b-1"), Operator.OR,
        Operator.AND);
    Targeting both = new Targeting(annotated.users(), annotated.roles(), annotated.contexts(),
        annotated.identifiers(), Operator.OR, Operator.AND, callerOwn);
    assertThat(names(group.select(both))).as("admins and the client in room2 with b-1").containsExactly("dave");
    for (Connection c : List.of(alice, bob, carol, dave)) { // one client at a time, as recovery decides, agrees
      assertThat(both.selects(c.user().getName(), c.user().getRoles(), c.contexts(), c.identifier()))
          .isEqualTo(c == dave);
    }
  }

  private List<String> names(Collection<Connection> selected) {
    return selected.stream().map(names::get).sorted().collect(Collectors.toList());
  }

  @Test
  @DisplayName("E4: exclusion wins over inclusion")
  void exclusionWins() {
    assertThat(select(new Layer(Set.of("alice", "bob"), Set.of("alice")), Layer.NONE,
        Layer.NONE, Layer.NONE)).containsExactly("bob");
    assertThat(select(Layer.NONE, include("admin"), exclude("room1"), Layer.NONE)).containsExactly("carol");
    assertThat(select(Layer.NONE, include("admin"), Layer.NONE, exclude("a-1", "c-1"))).isEmpty();
  }

  @Test
  @DisplayName("E4: values no client has select nobody; with 'or' the other layers still select")
  void unknownValues() {
    assertThat(select(include("nobody"), Layer.NONE, Layer.NONE, Layer.NONE)).isEmpty();
    assertThat(select(Layer.NONE, Layer.NONE, include("no-room"), Layer.NONE)).isEmpty();
    assertThat(select(include("nobody"), include("admin"), Layer.NONE, Layer.NONE, Operator.OR, Operator.OR))
        .containsExactly("alice", "carol");
    assertThat(select(include("nobody"), include("admin"), Layer.NONE, Layer.NONE, Operator.AND, Operator.OR))
        .isEmpty();
  }

  @Test
  @DisplayName("E4 E8: exclude-only targeting is everyone but those (all but the sender)")
  void excludeOnly() {
    assertThat(select(exclude("alice"), Layer.NONE, Layer.NONE, Layer.NONE)).containsExactly("bob", "carol", "dave");
    assertThat(select(Layer.NONE, Layer.NONE, Layer.NONE, exclude("b-1"))).containsExactly("alice", "carol", "dave");
    assertThat(select(exclude("nobody"), Layer.NONE, Layer.NONE, Layer.NONE)).containsExactly("alice", "bob",
        "carol", "dave");
  }

  @Test
  @DisplayName("E5: contexts entered and exited through the group are selected accordingly; removed clients are not")
  void contextsAndRemoval() {
    group.enter(dave, "room3");
    assertThat(select(Layer.NONE, Layer.NONE, include("room3"), Layer.NONE)).containsExactly("dave");
    group.exit(dave, "room3");
    assertThat(select(Layer.NONE, Layer.NONE, include("room3"), Layer.NONE)).isEmpty();

    group.remove(alice);
    assertThat(select(Layer.NONE, Layer.NONE, Layer.NONE, Layer.NONE)).containsExactly("bob", "carol", "dave");
    assertThat(select(include("alice"), include("admin"), include("room1"), include("a-1"))).containsExactly("bob",
        "carol");
    assertThat(group.all()).doesNotContain(alice);
  }
}
