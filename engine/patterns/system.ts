/** Shell command injection and path traversal: separators or substitutions followed by commands; climbing paths to system files. */
import { words, type Family } from './types.js';

const CMDS = '(id|whoami|uname|cat|ls|dir|pwd|echo|ping|nc|ncat|netcat|telnet|wget|curl|bash|sh|zsh|ksh|dash|csh|powershell|pwsh|cmd|cmd\\.exe|type|ifconfig|ipconfig|netstat|ps|kill|killall|rm|del|sleep|timeout|perl|python|python3|php|ruby|node|nslookup|dig|host|whois|chmod|chown|mkfifo|mknod|sudo|su|touch|cp|mv|tftp|ftp|ssh|scp|sftp|nohup|eval|exec|crontab|systeminfo|tasklist|taskkill|net|netsh|reg|certutil|bitsadmin|wmic|mshta|rundll32|regsvr32|hostname|env|set|export|printenv|history|find|locate|xterm|awk|sed|base64|xxd|openssl|socat|uptime|users|who|w|last|groups|passwd|shutdown|reboot|halt|init|systemctl|service|useradd|usermod|getent|more|less|head|tail|sort|nl|od|strings|tac|rev)';

export const commandInjection: Family = {
  type: 'command_injection',
  tags: {
    SEP_START: ['^ ?([;|&\\n\\x01]|&&|\\|\\||\\$\\(|`)', '^[\\\'"] ?([;|&]|&&|\\|\\|)'],
    SEP_MID: ['[\\\'"\\w)\\]] ?(;|&&|\\|\\||\\|)', '\\x01'],
    CMD: [`\\b${CMDS}\\b`, '/(usr/)?s?bin/[a-z]'],
    SUBST: ['\\$\\( ?[a-z/]', '`[a-z/]', ],
    IFS: ['\\$\\{ifs\\}', '\\$ifs\\b', '\\$\\{path:0:1\\}', '\\$\\{home:0:1\\}'],
    REVERSE_SHELL: ['/dev/(tcp|udp)/', '\\bbash -i\\b', '\\bsh -i\\b', '\\bnc(at)? -[a-z]{0,2}e\\b', '\\bmkfifo\\b', '\\bsocket ?\\(',
      '\\bpowershell -(e|enc|encodedcommand|c|command|nop|noprofile|w|windowstyle|ep|exec|executionpolicy)\\b', ' -(enc|encodedcommand) [a-z0-9+/]', '\\biex ?\\(', '\\binvoke-expression\\b',
      'new-object (system\\.)?net\\.webclient', '\\bdownloadstring\\b', '\\bcertutil -urlcache', '\\bpython[23]? -c\\b',
      '\\bperl -e\\b', '\\bphp -r\\b', '\\bruby -e\\b'],
    SENSITIVE: ['/etc/(passwd|shadow|hosts|group|issue|sudoers)\\b', '\\bwin\\.ini\\b', '\\bboot\\.ini\\b', '\\bsystem32\\b', '/proc/self\\b',
      '\\bcmd\\.exe\\b', '\\b/bin/(ba)?sh\\b', '\\bsystem ?\\( ?[\'"]', '\\bpassthru ?\\(', '\\bshell_exec ?\\(', '\\bexec ?\\( ?[\'"]',
      '\\bpopen ?\\(', '\\bproc_open ?\\(', '\\b__import__ ?\\( ?[\'"]os', '\\bos\\.system ?\\(', '\\bsubprocess\\.', '\\bchild_process\\b',
      '\\brequire ?\\( ?[\'"]child_process', '<\\?php', '\\$_(get|post|request|cookie|server)\\b'],
    QUOTE_BREAK: [`[\\'"] ?([;|&]|&&|\\|\\|)`],
  },
  rules: [
    { id: 'cmdi.start', seq: ['SEP_START', 'CMD'], within: 2, severity: 'high', description: 'command separator followed by a command' },
    { id: 'cmdi.subst', seq: ['SUBST', 'CMD'], within: 0, severity: 'high', description: 'shell command substitution' },
    { id: 'cmdi.ifs', seq: ['IFS'], severity: 'high', description: 'shell $IFS evasion' },
    { id: 'cmdi.reverse-shell', seq: ['REVERSE_SHELL'], severity: 'high', description: 'reverse shell or remote code download' },
    { id: 'cmdi.mid-sensitive', seq: ['SEP_MID', 'CMD', 'SENSITIVE'], within: 40, severity: 'high', description: 'chained command touching system files' },
    { id: 'cmdi.sensitive', seq: ['SENSITIVE'], severity: 'medium', description: 'system file or code-execution call' },
    { id: 'cmdi.quote-break', seq: ['QUOTE_BREAK', 'CMD'], within: 2, severity: 'high', description: 'argument break-out into a command' },
  ],
};

export const pathTraversal: Family = {
  type: 'path_traversal',
  tags: {
    DOTDOT: ['\\.\\.[/\\\\]', '[/\\\\]\\.\\.', '\\.\\.\\.\\.//', '\\.\\.;/', '\\.\\.0x(2f|5c)', '0x2e0x2e', '\\.\\.\\x01', '\\.\\.[\\x81]'],
    TARGET: ['\\b(etc|proc|sys|var|usr|root|home|windows|winnt|boot|system32|inetpub|tmp)\\b', '\\b(passwd|shadow|hosts|win\\.ini|boot\\.ini|system\\.ini|web\\.config|\\.htaccess|\\.htpasswd|id_rsa|environ|cmdline|issue|php\\.ini|httpd\\.conf|sam)\\b', '\\{file\\}'],
    ABS_SENSITIVE: ['^ ?[/\\\\]?(etc[/\\\\](passwd|shadow|hosts|issue|group)|proc[/\\\\]self[/\\\\]|windows[/\\\\]win\\.ini|boot\\.ini|c:[/\\\\]windows)',
      '\\bfile:///?(etc|c:|proc|windows)'],
    NULL_BYTE: ['\\x01', '%00'],
  },
  rules: [
    { id: 'path.climb', seq: ['DOTDOT', 'DOTDOT'], within: 6, severity: 'medium', description: 'path climbing out of its directory' },
    { id: 'path.climb-target', seq: ['DOTDOT', 'TARGET'], within: 40, severity: 'high', description: 'path traversal to a system file' },
    { id: 'path.absolute', seq: ['ABS_SENSITIVE'], severity: 'medium', description: 'absolute path to a system file' },
    { id: 'path.dotdot', seq: ['DOTDOT'], severity: 'low', description: 'parent-directory reference' },
    { id: 'path.null-byte', seq: ['DOTDOT', 'NULL_BYTE'], within: 80, severity: 'high', description: 'traversal with a null byte' },
  ],
};
