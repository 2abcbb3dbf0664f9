/** Shell command injection and path traversal: separators or substitutions followed by commands; climbing paths to system files. */
import { type Family } from './types.js';

// Commands an injected payload runs to probe or take over a host (not everyday text filters like sort or head).
const CMDS = '(id|whoami|uname|cat|ls|dir|pwd|echo|ping|nc|ncat|netcat|telnet|wget|curl|bash|sh|zsh|ksh|dash|csh|powershell|pwsh|cmd|cmd\\.exe|type|ifconfig|ipconfig|netstat|ps|kill|rm|del|sleep|timeout|perl|python|python3|php|ruby|node|nslookup|dig|whois|chmod|chown|mkfifo|sudo|su|touch|tftp|ftp|ssh|scp|nohup|eval|exec|crontab|systeminfo|tasklist|taskkill|net|netsh|reg|certutil|bitsadmin|wmic|mshta|rundll32|regsvr32|hostname|env|printenv|xterm|socat|uptime|shutdown|reboot|useradd|getent|passwd|phpinfo|phpversion|sysinfo)';

export const commandInjection: Family = {
  type: 'command_injection',
  tags: {
    // (A literal backslash-n at the very start: an escaped line break that a later unescape turns into a new command.)
    SEP_START: ['^ ?([;|&\\n\\x01]|&&|\\|\\||\\$\\()', '^[\\\'"]?\\)? ?([;|&\\n]|&&|\\|\\|)', '^[\\\'"]?\\\\[nr]'],
    SEP_MID: ['[\\\'"\\w)\\]$*][ ]?(;|&&|\\|\\||\\|)[ ]?', '\\x01'],
    CMD: [`\\b${CMDS}\\b`, '/(usr/)?s?bin/[a-z]'],
    // A value, then a separator: typed (;|&) or an encoded line break (decoded %0a becomes \x01: it was hidden).
    VALUE_SEP: ['\\d[ ]?(;|&&|\\|\\||\\||&)[ ]?', '\\d\\x01'],
    CMD_TAIL: [`\\b${CMDS} ?[;|&]?$`],
    DESTRUCTIVE: ['\\brm -[a-z]{0,2}[rf][a-z]{0,2} [/~*]', '\\bmkfs(\\.[a-z0-9]{1,5})? /dev/', '\\bdd if=/dev/(zero|random|urandom)',
      ':\\(\\) ?\\{ ?: ?\\| ?: ?& ?\\} ?; ?:', '> ?/dev/sd[a-z]', '\\bchmod -r 777 /', '\\bformat c:'],
    // Download, drop in a world-writable place, run: the shape of a dropper, whatever separates the steps.
    DOWNLOADER: ['\\b(wget|curl|fetch|tftp) (-[a-z]{1,2} )?(https?|ftp|tftp)://', '\\binvoke-webrequest\\b', '\\bcertutil -urlcache'],
    RUN_DROPPED: ['\\bchmod (\\+|7)', '\\b(ba|z|da)?sh /tmp/', '\\b(perl|python3?|php|node) /tmp/', '(^|[;&|] ?)/tmp/[a-z0-9._-]', '\\bstart-process\\b'],
    SHELL_TRICK: ['\\(\\) ?\\{ ?:; ?\\} ?;', '<!--#exec', '/bi[?*]/', '/b[?*]n/', '/et[?*]/', '/e[?*]c/', '/[?*]{2}n/'],
    SUBST: ['\\$\\( ?[a-z/]'],
    BACKTICK: ['`[a-z/]'],
    // Command substitution as a value (user=`id`, f(`id`)); prose puts inline code after a space.
    VALUE_BACKTICK: ['[=(:]`[a-z/]'],
    IFS: ['\\$\\{ifs\\}', '\\$ifs\\b', '\\$\\{path:0:1\\}', '\\$\\{home:0:1\\}'],
    REVERSE_SHELL: ['/dev/(tcp|udp)/', '\\bbash -i\\b', '\\bsh -i\\b', '\\bnc(at)? -[a-z]{0,2}e\\b', '\\bsocket ?\\( ?s ?,',
      '\\bpty\\.spawn ?\\(', '\\bos\\.dup2 ?\\(',
      '\\bpowershell(\\.exe)? -(e|enc|encodedcommand|nop|noprofile|w|windowstyle|ep|exec|executionpolicy)\\b', ' -(enc|encodedcommand) [a-z0-9+/]', '\\biex ?\\(', '\\binvoke-expression\\b',
      'new-object (system\\.)?net\\.webclient', '\\bdownloadstring\\b', '\\bcertutil -urlcache', ],
    SYSFILE: ['/etc/(passwd|shadow|sudoers)\\b', '\\bwin\\.ini\\b', '\\bboot\\.ini\\b', '/proc/self/(environ|cmdline|fd)',
      // Private keys, not the .pub beside them.
      '\\.ssh/id_(rsa|dsa|ecdsa|ed25519)[ "\'`;|&)]', '\\.ssh/id_(rsa|dsa|ecdsa|ed25519)$', '\\.aws/credentials\\b'],
    // netcat to a host and port that hands it a shell: "nc 10.0.0.1 4444 -e /bin/sh".
    NC_HOST: ['\\bnc(at)? [0-9]'],
    EXEC_SHELL: [' -e (/usr)?(/bin/)?(ba|z|da)?sh\\b', ' -e cmd(\\.exe)?\\b'],
    // Uploading a file (curl -d @file, -T, --upload-file, wget --post-file): exfiltration once chained into a value.
    UPLOAD_FLAG: [' (-d|--data|--data-binary|-t|--upload-file) ?@', ' --post-file'],
    // A substitution whose output becomes part of a host name: DNS exfiltration ($(whoami).attacker.example).
    SUBST_DNS: ['\\) ?\\.[a-z0-9]', '` ?\\.[a-z0-9]'],
    // A command substitution glued to a value (guest`id`), not inline code after a space.
    WORD_BACKTICK: ['[a-z0-9_]`[a-z/]'],
    CLOSE_TICK: ['`'],
    CODE_EXEC: ['\\bsystem ?\\( ?[\'"]', '\\beval ?\\( ?[\'"]', '\\bassert ?\\( ?[\'"]', '\\bpassthru ?\\( ?[\'"]', '\\bshell_exec ?\\( ?[\'"]',
      '\\bexec ?\\( ?[\'"]', '\\bpopen ?\\( ?[\'"]', '\\bproc_open ?\\( ?[\'"]', '\\b__import__ ?\\( ?[\'"]os', '\\bos\\.system ?\\( ?[\'"]'],
    SHELL_REF: ['\\brequire ?\\( ?[\'"]child_process', '<\\?php', '\\$_(get|post|request|cookie|server)\\b', '\\b/bin/(ba)?sh\\b', '\\bcmd\\.exe\\b'],
    // Shell-only separators after a quote; "'x' || y" and "'x' && y" are everyday code.
    QUOTE_BREAK: [`[\\'"][ ]?(;|\\|)[ ]?`],
    // A separator straight into an absolute path to a system binary: a value never continues like that.
    ABS_BIN: ['/(usr/)?s?bin/[a-z]'],
    // PHP code in an interpolation ({${...}} or ${@...}): the classic eval-injection shapes.
    // An escaped line break (\\n) opening the value, then a command: the break is unescaped before the shell sees it.
    ESC_CMD: [`^[\\'"]?\\\\[nr]${CMDS}\\b`],
    PHP_INTERP: ['@\\{\\[ ?(system|exec|qx|eval|`)', '\\{\\$\\{ ?@?(phpinfo|system|print|printf|eval|sleep|exec|passthru|assert|shell_exec|popen|file_get_contents|file_put_contents|include|require|md5|base64_decode|usleep|die|exit) ?\\(', '\\$\\{ ?@[a-z_]'],
    // A request parameter handed straight to code execution or inclusion: a web shell or remote file inclusion.
    EXEC_INPUT: ['\\b(system|passthru|exec|shell_exec|eval|assert|include|require|include_once|require_once|popen|proc_open) ?\\( ?\\$_(get|post|request|cookie)\\b'],
    NC_FLAGS: ['\\bnc(at)? -[a-z]'],
    // Windows persistence and defence evasion: an added (admin) account, firewall off, remote desktop opened, hives read.
    // (A real name after the verb: documentation writes placeholders, `net user {{username}} ... /add`.)
    WIN_ACCOUNT: ['\\bnet user \\w', '\\bnet localgroup [\'"]?administrators[\'"]? \\w'],
    WIN_ADD: ['/add\\b'],
    // Options that make an archiver or file tool run a command (GTFOBins): an argument injection, not a file name.
    // (Not --use-compress-program or ProxyCommand alone: zstd and cloudflared are what people put there.)
    ARG_EXEC: ['--checkpoint-action ?= ?exec\\b', ' -tt [\\\'"]', '--unzip-command\\b'],
    WIN_TAMPER: ['\\bnetsh (adv)?firewall set ', '\\bfdenytsconnections\\b', '\\\\repair\\\\(sam|system|security)\\b', '\\breg save hklm\\\\(sam|system|security)\\b'],
  },
  rules: [
    { id: 'cmdi.start', seq: ['SEP_START', 'CMD'], within: 2, severity: 'high', description: 'command separator followed by a command' },
    { id: 'cmdi.subst', overlap: true, seq: ['SUBST', 'CMD'], within: 0, severity: 'low', description: 'shell command substitution' },
    { id: 'cmdi.backtick', overlap: true, seq: ['BACKTICK', 'CMD'], within: 0, severity: 'low', description: 'backtick command substitution (or inline code)' },
    { id: 'cmdi.subst-sysfile', overlap: true, seq: ['SUBST', 'CMD', 'SYSFILE'], within: 20, severity: 'high', description: 'command substitution reading system files' },
    { id: 'cmdi.chained', confirm: 'cmdArgs', seq: ['SEP_MID', 'CMD'], within: 0, severity: 'low', description: 'command chained after another' },
    { id: 'cmdi.value-chained', confirm: 'cmdArgs', seq: ['VALUE_SEP', 'CMD'], within: 0, severity: 'high', description: 'command chained after a value (an address or number)' },
    { id: 'cmdi.chained-tail', seq: ['SEP_MID', 'CMD_TAIL'], within: 2, severity: 'high', description: 'command chained at the end of a value' },
    { id: 'cmdi.code-exec-cmd', seq: ['CODE_EXEC', 'CMD'], within: 2, severity: 'high', description: 'code-execution call running a shell command' },
    { id: 'cmdi.destructive', seq: ['DESTRUCTIVE'], severity: 'medium', description: 'destructive shell command' },
    { id: 'cmdi.chained-destructive', seq: ['SEP_MID', 'DESTRUCTIVE'], within: 2, severity: 'high', description: 'destructive command chained after a value' },
    { id: 'cmdi.backtick-sysfile', overlap: true, seq: ['VALUE_BACKTICK', 'CMD', 'SYSFILE'], within: 20, severity: 'high', description: 'command substitution reading system files' },
    { id: 'cmdi.dropper', seq: ['DOWNLOADER', 'RUN_DROPPED'], within: 120, severity: 'high', description: 'download then execute' },
    { id: 'cmdi.shell-trick', seq: ['SHELL_TRICK'], severity: 'high', description: 'Shellshock, SSI exec or glob-obfuscated path' },
    { id: 'cmdi.ifs', seq: ['CMD', 'IFS'], within: 0, severity: 'high', description: 'shell $IFS evasion' },
    { id: 'cmdi.reverse-shell', seq: ['REVERSE_SHELL'], severity: 'high', description: 'reverse shell or remote code download' },
    { id: 'cmdi.mid-sysfile', seq: ['SEP_MID', 'CMD', 'SYSFILE'], within: 40, severity: 'high', description: 'chained command reading system files' },
    { id: 'cmdi.sysfile', seq: ['SYSFILE'], severity: 'low', description: 'system credential or configuration file' },
    { id: 'cmdi.code-exec', seq: ['CODE_EXEC'], severity: 'low', description: 'code-execution call' },
    { id: 'cmdi.sep-shell-ref', seq: ['SEP_START', 'SHELL_REF'], within: 40, severity: 'high', description: 'injected shell or PHP code' },
    { id: 'cmdi.sep-code-exec', seq: ['SEP_START', 'CODE_EXEC'], within: 40, severity: 'high', description: 'injected code-execution call' },
    { id: 'cmdi.quote-break', confirm: 'cmdArgs', seq: ['QUOTE_BREAK', 'CMD'], within: 0, severity: 'high', description: 'argument break-out into a command' },
    { id: 'cmdi.nc-exec', seq: ['NC_HOST', 'EXEC_SHELL'], within: 60, severity: 'high', description: 'netcat handing a shell to a remote host' },
    { id: 'cmdi.chained-upload', seq: ['SEP_MID', 'CMD', 'UPLOAD_FLAG'], within: 40, severity: 'high', description: 'chained command uploading a file' },
    { id: 'cmdi.subst-dns', overlap: true, seq: ['SUBST', 'CMD', 'SUBST_DNS'], within: 30, severity: 'high', description: 'command output sent out in a DNS name' },
    { id: 'cmdi.chained-abs', seq: ['SEP_MID', 'ABS_BIN'], within: 0, severity: 'high', description: 'separator followed by a system binary path' },
    { id: 'cmdi.php-interp', seq: ['PHP_INTERP'], severity: 'high', description: 'PHP or Perl code in a string interpolation' },
    { id: 'cmdi.escaped-break', seq: ['ESC_CMD'], severity: 'high', description: 'escaped line break followed by a command' },
    { id: 'cmdi.exec-input', seq: ['EXEC_INPUT'], severity: 'high', description: 'request parameter passed to code execution (web shell)' },
    { id: 'cmdi.nc-listen-exec', seq: ['NC_FLAGS', 'EXEC_SHELL'], within: 24, severity: 'high', description: 'netcat serving a shell' },
    { id: 'cmdi.win-account', seq: ['WIN_ACCOUNT', 'WIN_ADD'], within: 60, severity: 'high', description: 'Windows account or group membership added' },
    { id: 'cmdi.win-tamper', seq: ['WIN_TAMPER'], severity: 'medium', description: 'Windows firewall, remote desktop or credential hive tampering' },
    { id: 'cmdi.arg-exec', seq: ['ARG_EXEC'], severity: 'medium', description: 'tool option that runs a command (argument injection)' },
    { id: 'cmdi.word-backtick', overlap: true, seq: ['WORD_BACKTICK', 'CMD', 'CLOSE_TICK'], within: 24, severity: 'high', description: 'command substitution glued to a value' },
  ],
};

export const pathTraversal: Family = {
  type: 'path_traversal',
  tags: {
    DOTDOT: ['\\.\\.[/\\\\]', '[/\\\\]\\.\\.'],
    CLIMB3: ['\\.\\.[/\\\\]\\.\\.[/\\\\]\\.\\.[/\\\\]', '[/\\\\]\\.\\.[/\\\\]\\.\\.[/\\\\]\\.\\.'],
    BYPASS: ['\\.\\.\\.\\.//', '\\.\\.\\.\\.\\\\\\\\', '\\.\\.;/', '\\.\\.0x(2f|5c)', '0x2e0x2e', '\\.\\.\\x01', '\\.\\.\\x81', '\\.\\.%', '\\.\\?\\\\'],
    // System directories only as path segments ("etc/", "windows\\"), files by their exact names: "../utils" then
    // "tmp" or "issue" in the next sentence is not a traversal.
    TARGET: ['\\b(etc|proc|sys|var|usr|root|windows|winnt|boot|system32|inetpub)[/\\\\]',
      '\\b(passwd|shadow|win\\.ini|boot\\.ini|system\\.ini|web\\.config|\\.htaccess|\\.htpasswd|id_rsa|environ|php\\.ini|httpd\\.conf)\\b',
      '\\{file\\}'],
    // (\x81: a decoded character no text uses, such as %uF025, standing where the slash goes: IIS best-fit mapping.)
    TARGET_END: ['(boot\\.ini|win\\.ini|system\\.ini|etc[/\\\\\\x81](passwd|shadow|issue|hosts|group)|drivers[/\\\\\\x81]etc[/\\\\\\x81]hosts|proc[/\\\\]self[/\\\\]environ|\\{file\\})$'],
    ABS_SENSITIVE: ['^ ?[/\\\\]?(etc[/\\\\](passwd|shadow|hosts|issue|group)|proc[/\\\\]self[/\\\\]|windows[/\\\\]win\\.ini|boot\\.ini|c:[/\\\\]windows)',
      '\\bfile:///?(etc|c:|proc|windows)'],
    NULL_BYTE: ['\\x01', '%00'],
  },
  rules: [
    { id: 'path.climb', overlap: true, seq: ['DOTDOT', 'DOTDOT'], within: 6, severity: 'low', description: 'path climbing two levels' },
    { id: 'path.climb-deep', seq: ['CLIMB3'], severity: 'medium', description: 'path climbing three or more levels' },
    { id: 'path.bypass', seq: ['BYPASS'], severity: 'high', description: 'path traversal filter-bypass form' },
    { id: 'path.climb-target', seq: ['DOTDOT', 'TARGET'], within: 12, severity: 'high', description: 'path traversal to a system file' },
    { id: 'path.target-value', seq: ['TARGET_END'], severity: 'medium', description: 'value ending in a system file path' },
    { id: 'path.absolute', seq: ['ABS_SENSITIVE'], severity: 'medium', description: 'absolute path to a system file' },
    { id: 'path.dotdot', seq: ['DOTDOT'], severity: 'low', description: 'parent-directory reference' },
    { id: 'path.null-byte', seq: ['DOTDOT', 'NULL_BYTE'], within: 80, severity: 'high', description: 'traversal with a null byte' },
  ],
};
