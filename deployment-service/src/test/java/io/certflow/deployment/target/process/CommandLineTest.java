package io.certflow.deployment.target.process;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    @Test
    void splitsOnWhitespaceAndKeepsQuotedArguments() {
        assertThat(CommandLine.split("  nginx -p /srv/x -c \"/srv/my conf/n.conf\" -g 'daemon off;' -s reload "))
                .containsExactly("nginx", "-p", "/srv/x", "-c", "/srv/my conf/n.conf", "-g", "daemon off;", "-s", "reload");
    }

    @Test
    void doesNotExpandLikeAShell() {
        assertThat(CommandLine.split("nginx $HOME; rm -rf / && `x`"))
                .containsExactly("nginx", "$HOME;", "rm", "-rf", "/", "&&", "`x`");
    }

    @Test
    void rejectsBlankAndUnclosedQuotes() {
        assertThatThrownBy(() -> CommandLine.split("  ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> CommandLine.split("nginx -c \"/x")).hasMessageContaining("unclosed");
    }

    @Test
    void joinsArgumentsSoThatSplitGivesThemBack() {
        List<String> args = List.of("/usr/sbin/nginx", "-c", "/srv/my conf/n.conf", "-g", "daemon off;", "",
                "it's", "say \"hi\"", "back\\slash", "$HOME");

        String line = CommandLine.join(args);

        assertThat(line).startsWith("/usr/sbin/nginx -c \"/srv/my conf/n.conf\" -g \"daemon off;\" \"\" ");
        assertThat(CommandLine.split(line)).containsExactlyElementsOf(args);
    }
}
