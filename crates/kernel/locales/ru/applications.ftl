## Applications: states, actions and who took them

state-draft = Черновик
state-accepted = Принято
state-checking = На проверке
state-awaiting_payment = Ожидает оплаты госпошлины
state-routed = Направлено в ведомство
state-in_review = На рассмотрении
state-needs_info = Требуются сведения
state-approved = Одобрено
state-refused = Отказано
state-completed = Завершено
state-withdrawn = Отозвано
action-submit = подать заявление
action-begin_check = начать проверку
action-request_payment = выставить госпошлину к оплате
action-route = направить в ведомство
action-take = взять в работу
action-assign = назначить исполнителя
action-request_info = запросить сведения
action-provide_info = предоставить сведения
action-approve = одобрить
action-refuse = отказать
action-complete = завершить
action-withdraw = отозвать заявление
action-escalate = эскалировать просрочку
actor-applicant = Заявитель
actor-officer = Сотрудник ведомства
actor-system = Система

## Applications: refusals and their titles

rule-transition-not-allowed = Нельзя { $action }: заявление в состоянии «{ $state }»
rule-transition-not-yours = Нельзя { $action } в состоянии «{ $state }»: это действие другого участника
rule-comment-required = Чтобы { $action }, напишите комментарий
rule-not-assignee = Чтобы { $action }, сначала возьмите заявление в работу: оно назначено другому сотруднику или никому
rule-changed-meanwhile = Заявление только что изменилось: обновите страницу и повторите
rule-level-too-low = Для этой услуги нужна учётная запись уровня «{ $level }»: подтвердите личность в профиле
rule-idempotency-key-reused = Этот ключ идемпотентности уже использован для другого запроса
rule-idempotency-key-required = Нужен заголовок Idempotency-Key: он защищает от двойной подачи
rule-idempotency-key-format = Ключ идемпотентности — от 1 до 128 видимых символов ASCII
rule-service-unknown = такой услуги нет в каталоге
rule-file-empty = файл пустой
rule-file-too-large = файл больше 5 МБ
rule-file-type = допустимы только PDF, JPG и PNG
rule-action-unknown = неизвестное действие
rule-assignee-not-in-department = этот сотрудник не работает в подразделении заявления
rule-state-unknown = неизвестное состояние
rule-cursor-unknown = нет такого вашего заявления, после которого показывать список (after — идентификатор последнего заявления предыдущей страницы)
rule-cursor-own-list-only = after работает только в списке своих заявлений; в очереди листайте offset
label-next-page = Следующие заявления
rule-app-number-format = номер заявления выглядит как 2026-000123-7
rule-app-number-checksum = в номере ошибка: не сходится контрольная цифра
problem-transition-not-allowed = Действие недоступно в текущем состоянии заявления
problem-transition-not-yours = Действие принадлежит другому участнику
problem-comment-required = Нужен комментарий
problem-not-assignee = Заявление назначено не вам
problem-changed-meanwhile = Заявление изменилось
problem-level-too-low = Недостаточный уровень учётной записи
problem-idempotency-key-reused = Ключ идемпотентности уже использован
problem-idempotency-key-required = Нет ключа идемпотентности
problem-idempotency-key-format = Неверный ключ идемпотентности
field-service = Услуга
field-answers = Ответы формы
field-action = Действие
field-comment = Комментарий
field-assignee = Исполнитель
field-file = Файл
field-number = Номер заявления
field-state = Состояние

## Notifications

notice-status_change = Заявление { $number }: { $state }
notice-action_required = Заявление { $number }: требуются сведения — { $comment }
notice-deadline_overdue = Просрочен срок рассмотрения заявления { $number }
notice-info_provided = Заявитель ответил на запрос по заявлению { $number }
rule-kind-unknown = неизвестный вид уведомления
rule-channel-required = уведомления в личном кабинете отключить нельзя
rule-signature-too-large = файл подписи больше допустимого размера
rule-file-pdf-bomb = PDF распаковывается в слишком большой объём: сохраните документ заново обычным способом
rule-file-image-too-large = изображение больше 50 мегапикселей: уменьшите его
