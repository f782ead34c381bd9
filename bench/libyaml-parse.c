/* bench/libyaml-parse.c - the YAML floor: parse a file with libyaml's event
 * API and do nothing else (no tree, no copies). Prints the event count so the
 * work cannot be optimised away.
 *   build/bench/libyaml-parse FILE
 */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: libyaml-parse FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fclose(f);
        return 3;
    }
    yaml_parser_set_input_file(&parser, f);
    unsigned long events = 0;
    int done = 0, status = 0;
    while (!done) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            fprintf(stderr, "%s:%lu:%lu: %s\n", argv[1], (unsigned long)parser.problem_mark.line + 1,
                    (unsigned long)parser.problem_mark.column + 1, parser.problem ? parser.problem : "parse error");
            status = 2;
            break;
        }
        done = event.type == YAML_STREAM_END_EVENT;
        events++;
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    if (status == 0)
        printf("%lu events\n", events);
    return status;
}
